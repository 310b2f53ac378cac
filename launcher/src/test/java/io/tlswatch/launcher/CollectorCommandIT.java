package io.tlswatch.launcher;

import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tlswatch collector} run as a user runs it, in its own JVM, and killed as a machine failure kills it. */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorCommandIT {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CollectorCommandIT.class);
    private static final int CLIENTS = 6;
    private static final int BATCH = 10;

    private Process collector;

    @AfterEach
    void stop() {
        if (collector != null && collector.isAlive()) {
            collector.destroyForcibly();
        }
    }

    @Test
    void everyReportAcknowledgedBeforeASigkillIsInTheTopicExactlyOnceAfterDeduplication(KafkaBroker broker,
                                                                                         @TempDir Path dir)
            throws Exception {
        // given the collector started by the command, with clients loading it with batches and single reports
        int port = FreePorts.next();
        Path output = dir.resolve("collector.txt");
        collector = launch(output, environment(broker, port));
        await().atMost(Duration.ofSeconds(90)).until(() -> read(output).contains("Collector ready on http://localhost:" + port));
        String prefix = "kill-" + UUID.randomUUID() + "-";
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Set<String> sent = ConcurrentHashMap.newKeySet();
        AtomicBoolean loading = new AtomicBoolean(true);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            String clientId = prefix + c;
            clients.execute(() -> load(http, port, clientId, sent, acknowledged, loading));
        }

        // when the process is killed with SIGKILL in the middle of the load
        await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 500);
        collector.destroyForcibly();
        assertThat(collector.waitFor(20, TimeUnit.SECONDS)).isTrue();
        loading.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        Set<String> acknowledgedAtKill = Set.copyOf(acknowledged);

        // then every report that got a 202 is in the topic, and after deduplication by reportId exactly once
        Map<String, Integer> inTopic = readTopic(broker, prefix, acknowledgedAtKill);
        log.info("SIGKILL after {} reports acknowledged of {} sent; {} in the topic (written, not yet answered: {})",
                acknowledgedAtKill.size(), sent.size(), inTopic.size(), inTopic.size() - acknowledgedAtKill.size());
        assertThat(inTopic.keySet()).containsAll(acknowledgedAtKill);
        assertThat(sent).containsAll(inTopic.keySet());
        // (each report was sent once and the producer is idempotent, so even before deduplication none is doubled)
        assertThat(inTopic.values()).as("records per report id").containsOnly(1);
        assertThat(acknowledgedAtKill.size()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void stopsCleanlyOnSigterm(KafkaBroker broker, @TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        Path output = dir.resolve("collector.txt");
        collector = launch(output, environment(broker, port));
        await().atMost(Duration.ofSeconds(90)).until(() -> read(output).contains("Collector ready on http://localhost:" + port));
        collector.destroy();
        assertThat(collector.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(read(output)).contains("Collector stopped.");
    }

    @Test
    void refusesAnUnknownConfigurationKeyWithExitCode2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("collector.properties");
        Files.writeString(config, "http.prot=8080\n");
        Path output = dir.resolve("collector.txt");
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "collector", "--config",
                config.toString())).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(read(output)).contains("http.prot");
    }

    private static void load(HttpClient http, int port, String clientId, Set<String> sent, Set<String> acknowledged,
                             AtomicBoolean loading) {
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/reports");
        for (int n = 0; loading.get(); n++) {
            List<String> ids = new ArrayList<>();
            int count = n % 2 == 0 ? BATCH : 1;
            StringBuilder body = new StringBuilder(count > 1 ? "{\"reports\": [" : "");
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                body.append(i > 0 ? "," : "").append("{\"reportId\": \"").append(id).append("\", \"clientId\": \"")
                        .append(clientId).append("\", \"occurredAt\": \"").append(Instant.now())
                        .append("\", \"errorClass\": \"tls.version_or_cipher_mismatch\"}");
            }
            body.append(count > 1 ? "]}" : "");
            sent.addAll(ids);
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 202) {
                    acknowledged.addAll(ids);
                }
            } catch (IOException e) {
                // The collector is gone (killed): what was not answered 202 is the client's to keep.
                if (!loading.get()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Report id to how many records carry it, for the reports of clients with the prefix. */
    private static Map<String, Integer> readTopic(KafkaBroker broker, String prefix, Set<String> expected) {
        Map<String, Integer> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("collector-kill")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.CLIENT_REPORTS.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    if (r.key() != null && r.key().startsWith(prefix)) {
                        ClientReportEvent event = Topics.CLIENT_REPORTS.valueSerde().deserializer()
                                .deserialize(r.topic(), r.value());
                        found.merge(event.reportId(), 1, Integer::sum);
                    }
                });
                return found.keySet().containsAll(expected);
            });
        }
        return found;
    }

    private static Map<String, String> environment(KafkaBroker broker, int port) throws IOException {
        return Map.of("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "TLSWATCH_HTTP_PORT", String.valueOf(port), "TLSWATCH_HTTPS_PORT", "-1",
                "TLSWATCH_ADMIN_PORT", String.valueOf(FreePorts.next()),
                "TLSWATCH_SERVER_HOST", "127.0.0.1", "TLSWATCH_ADMIN_HOST", "127.0.0.1",
                "TLSWATCH_LIMITS_PERADDRESS_PERSECOND", "100000", "TLSWATCH_LIMITS_PERADDRESS_BURST", "100000",
                "TLSWATCH_LIMITS_PERCLIENT_PERSECOND", "100000", "TLSWATCH_LIMITS_PERCLIENT_BURST", "100000");
    }

    private static Process launch(Path output, Map<String, String> environment) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString(), "collector"))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
