package io.tlswatch.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tlswatch notifier} as a user runs it, including being killed with SIGKILL in the middle of a delivery. */
@ExtendWith(KafkaBrokerExtension.class)
class NotifierCommandIT {

    private static final String HMAC_KEY = "launcher-it-hmac-key";

    private final List<Process> processes = new ArrayList<>();
    private HttpServer receiver;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        processes.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
        release.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void aNotifierKilledMidDeliveryLeavesTheAlertToTheNextWhichDeliversIt(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        // given a webhook receiver that leaves its first request unanswered and accepts correctly signed ones after
        List<String> deliveries = new CopyOnWriteArrayList<>();
        List<String> accepted = new CopyOnWriteArrayList<>();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/hook", exchange -> receive(exchange, deliveries, accepted));
        receiver.start();
        String group = KafkaBroker.uniqueGroupId("notifier-kill");
        Map<String, String> env = new HashMap<>(Map.of(
                "TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "TLSWATCH_KAFKA_SESSION_TIMEOUT_MS", "6000",
                "TLSWATCH_CONSUMER_GROUPID", group,
                "TLSWATCH_ADMIN_HOST", "127.0.0.1",
                "TLSWATCH_TARGETS", "hook",
                "TLSWATCH_TARGET_HOOK_KIND", "webhook",
                "TLSWATCH_TARGET_HOOK_URL", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                "TLSWATCH_TARGET_HOOK_HMACKEYENV", "IT_HOOK_KEY",
                "TLSWATCH_TARGET_HOOK_TIMEOUT", "120s",
                "IT_HOOK_KEY", HMAC_KEY));
        env.put("TLSWATCH_ADMIN_PORT", String.valueOf(FreePorts.next()));
        Path firstOutput = dir.resolve("first.txt");
        Process first = launch(firstOutput, env);
        await().atMost(Duration.ofSeconds(90)).until(() -> read(firstOutput).contains("Notifier ready"));

        // when an alert arrives and the notifier is killed while the receiver holds its request
        AlertEvent alert = alert();
        try (KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(broker.settings().producer("it"),
                new StringSerializer(), Topics.ALERTS.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.ALERTS.name(), alert.key(), alert)).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> deliveries.contains(alert.id()));
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        assertThat(committed(broker, group)).as("nothing committed by the killed notifier").isZero();

        // then a new notifier of the group delivers it, and commits
        env.put("TLSWATCH_ADMIN_PORT", String.valueOf(FreePorts.next()));
        Path secondOutput = dir.resolve("second.txt");
        Process second = launch(secondOutput, env);
        await().atMost(Duration.ofSeconds(90)).until(() -> accepted.contains(alert.id()));
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(broker, group) >= 1);
        assertThat(accepted).containsOnlyOnce(alert.id());

        // and SIGTERM stops it cleanly
        second.destroy();
        assertThat(second.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(read(secondOutput)).contains("Notifier stopped.");
    }

    @Test
    void aRoutingKeyInTheConfigurationFileIsRefusedWithExitCodeTwo(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("notifier.properties");
        Files.writeString(config, "targets=pd\ntarget.pd.kind=pagerduty\ntarget.pd.routingKey=R0UT1NG-SECRET\n");
        Path output = dir.resolve("out.txt");

        Process process = launch(output, Map.of(), "--config", config.toString());

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(read(output)).contains("configuration refused").contains("target.pd.routingKey")
                .doesNotContain("R0UT1NG-SECRET");
    }

    private void receive(HttpExchange exchange, List<String> deliveries, List<String> accepted) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String delivery = exchange.getRequestHeaders().getFirst("X-Tlswatch-Delivery");
            boolean firstOne;
            synchronized (deliveries) {
                firstOne = deliveries.isEmpty();
                deliveries.add(delivery);
            }
            if (firstOne) {
                release.await(120, TimeUnit.SECONDS);
                return;
            }
            String timestamp = exchange.getRequestHeaders().getFirst("X-Tlswatch-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Tlswatch-Signature");
            boolean valid = ("sha256=" + hmac(timestamp + "." + new String(body, StandardCharsets.UTF_8))).equals(signature);
            if (valid) {
                accepted.add(delivery);
            }
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String hmac(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HMAC_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static AlertEvent alert() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return AlertEvent.builder().time(now).source("streams@it").dedupKey("tls-outdated:inst-killed")
                .severity(Severity.CRITICAL).kind(AlertEvent.KIND_CLIENT_POSTURE)
                .summary("Client inst-killed is stuck on TLSv1").clientId("inst-killed").posture(Posture.STUCK)
                .startsAt(now).build();
    }

    private static long committed(KafkaBroker broker, String group) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    private Process launch(Path output, Map<String, String> environment, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "notifier"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
