package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.SdkInfo;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.streams.config.PostureJobConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@code tlswatch streams} processes, each in its own JVM, share the posture job; one is killed with SIGKILL
 * while events are flowing (exactly-once transactions open, state not yet committed), or frozen and resumed as a
 * zombie. The other takes over its tasks, and every client's posture row counts exactly the failures sent for it:
 * nothing counted twice, nothing missing.
 */
@ExtendWith(KafkaBrokerExtension.class)
class StreamsKillIT {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsKillIT.class);
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final int CLIENTS = 24;
    private static final String TLS12_JA4 = "t12d1809h2_f1b4a4c8f2b1_a8e2c4b1d9f0";
    private static final RuntimeInfo JAVA21 = new RuntimeInfo("OpenJDK Runtime Environment", "21.0.6+7-LTS",
            "Eclipse Adoptium");

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void aSurvivorTakesOverFromAKilledInstanceAndEveryPostureRowCountsExactlyTheFailuresSent(KafkaBroker broker,
            @TempDir Path dir) throws Exception {
        // given two instances of one job on topics of this test's own, two partitions each, and clients known at
        // their addresses, as they are after their first license checks
        Instances job = startWithClientsKnown(broker, dir, "streams-kill-it");
        PostureJobConfig config = job.config();
        Process a = job.a();
        Process b = job.b();
        Instant t0 = job.t0();
        Map<String, ClientPosture> rows = new HashMap<>();
        try (KafkaConsumer<String, ClientPosture> consumer = consumer(broker, config.topics().clientPosture())) {
            await().atMost(WAIT).until(() -> {
                poll(consumer, rows);
                return rows.size() == CLIENTS;
            });

            // when failures flow in three waves, and one instance is killed with SIGKILL during the second
            Map<String, Long> truth = new HashMap<>();
            for (int wave = 0; wave < 3; wave++) {
                produce(broker, config, wave(wave, t0, truth));
                if (wave == 1) {
                    a.destroyForcibly();
                    LOG.info("Killed instance a (pid {}) with SIGKILL after wave 2 was produced", a.pid());
                }
            }
            long sent = truth.values().stream().mapToLong(Long::longValue).sum();
            long started = System.nanoTime();

            // then the survivor's rows count exactly what was sent, client by client
            await().atMost(WAIT).untilAsserted(() -> assertThat(counted(consumer, rows)).isEqualTo(truth));
            LOG.info("{} failures over {} clients counted exactly, {} ms after the last wave", sent, CLIENTS,
                    Duration.ofNanos(System.nanoTime() - started).toMillis());
        }
        assertThat(a.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(b.isAlive()).as("the survivor runs on").isTrue();
        assertThat(ready(job.portB())).isTrue();
    }

    /**
     * A zombie: instance a is frozen (SIGSTOP) with a transaction open, stays frozen past its session, so b takes
     * its tasks, and past the transaction timeout, so the coordinator aborts what a had written; then a resumes
     * (SIGCONT) and goes on as if nothing happened. Its next commit is refused: it learns it was fenced, drops its
     * tasks and rejoins. Nothing it did before or after is counted twice.
     */
    @Test
    void anInstanceFrozenPastItsSessionIsFencedWhenItResumesAndNothingIsCountedTwice(KafkaBroker broker,
            @TempDir Path dir) throws Exception {
        // given two instances of one job on topics of this test's own, two partitions each, and clients known
        Instances job = startWithClientsKnown(broker, dir, "streams-zombie-it");
        PostureJobConfig config = job.config();
        Process a = job.a();
        Process b = job.b();
        Instant t0 = job.t0();
        Map<String, ClientPosture> rows = new HashMap<>();
        Map<String, Long> truth = new HashMap<>();
        try (KafkaConsumer<String, ClientPosture> consumer = consumer(broker, config.topics().clientPosture())) {
            produce(broker, config, wave(0, t0, truth));
            await().atMost(WAIT).untilAsserted(() -> assertThat(counted(consumer, rows)).isEqualTo(truth));

            // when a is frozen right after the second wave went in (its transaction of it open), the third follows
            produce(broker, config, wave(1, t0, truth));
            signal(a, "STOP");
            LOG.info("Froze instance a (pid {}) with SIGSTOP after wave 2 was produced", a.pid());
            produce(broker, config, wave(2, t0, truth));

            // then b takes a's tasks over and counts everything, while a is still frozen
            await().atMost(WAIT).untilAsserted(() -> assertThat(counted(consumer, rows)).isEqualTo(truth));
            assertThat(a.isAlive()).isTrue();

            // when a resumes
            signal(a, "CONT");
            LOG.info("Resumed instance a (pid {}) with SIGCONT", a.pid());

            // then it finds itself fenced, rejoins, and the rows still count exactly what was sent, for a while
            Path logOfA = dir.resolve("a.txt");
            await().atMost(WAIT).until(() -> Files.readString(logOfA).contains("being fenced") && ready(job.portA()));
            await().during(Duration.ofSeconds(5)).atMost(WAIT)
                    .untilAsserted(() -> assertThat(counted(consumer, rows)).isEqualTo(truth));
            LOG.info("Instance a was fenced on resuming: {}", Files.readAllLines(logOfA).stream()
                    .filter(line -> line.contains("being fenced")).findFirst().orElseThrow());
        }
        assertThat(a.isAlive()).as("the fenced instance runs on").isTrue();
        assertThat(b.isAlive()).isTrue();
    }

    /** Two instances of one job, the ports of their query APIs, and when their clients' first checks were. */
    private record Instances(PostureJobConfig config, Process a, int portA, Process b, int portB, Instant t0) {
    }

    /**
     * Starts two instances of one job on topics of the test's own (two partitions each), waits until both are
     * ready, and sends each client's first valid check, so that the job knows it at its address.
     */
    private Instances startWithClientsKnown(KafkaBroker broker, Path dir, String applicationIdPrefix)
            throws IOException {
        String suffix = "-" + UUID.randomUUID();
        Map<String, String> topics = Map.of(
                "topics.handshakes", "hs" + suffix, "topics.licenseChecks", "lc" + suffix,
                "topics.clientReports", "cr" + suffix, "topics.clientPosture", "cp" + suffix,
                "topics.fingerprintPosture", "fp" + suffix, "topics.alerts", "al" + suffix,
                "topics.deadLetters", "dlq" + suffix);
        PostureJobConfig config = PostureJobConfig.from(ConfigSource.of(topics));
        try (Admin admin = broker.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30), 2).ensure(config.topics().all());
        }
        String applicationId = applicationIdPrefix + suffix;
        int portA = FreePorts.next();
        int portB = FreePorts.next();
        Process a = launch(dir, "a", portA, applicationId, topics, broker);
        Process b = launch(dir, "b", portB, applicationId, topics, broker);
        await().atMost(WAIT).until(() -> ready(portA) && ready(portB));
        Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
        List<Event> checks = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            checks.add(validCheck("client-" + i, address(i), t0.plusMillis(i)));
        }
        produce(broker, config, checks);
        return new Instances(config, a, portA, b, portB, t0);
    }

    /** One wave of failures: client i fails 1 to 4 times; adds what it sends to {@code truth}. */
    private static List<Event> wave(int wave, Instant t0, Map<String, Long> truth) {
        List<Event> failures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int count = 1 + (i + wave) % 4;
            for (int n = 0; n < count; n++) {
                failures.add(failure(address(i), t0.plusSeconds(60L * (wave + 1) + n).plusMillis(i)));
            }
            truth.merge("client-" + i, (long) count, Long::sum);
        }
        return failures;
    }

    private static Map<String, Long> counted(KafkaConsumer<String, ClientPosture> consumer,
                                             Map<String, ClientPosture> rows) {
        poll(consumer, rows);
        Map<String, Long> counted = new HashMap<>();
        rows.forEach((client, row) -> counted.put(client, row.failuresByReason().values().stream()
                .mapToLong(Long::longValue).sum()));
        return counted;
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, process.pid()).isZero();
    }

    private static String address(int client) {
        return "203.0.113." + (10 + client);
    }

    /**
     * A valid check over TLS 1.2 with the ClientHello its later failures carry: only a fingerprint the client was
     * seen with ties a failure to it (docs/posture.md, "Attribution").
     */
    private static LicenseCheckEvent validCheck(String clientId, String address, Instant time) {
        return LicenseCheckEvent.builder().time(time).source("validator@kill-it").clientId(clientId)
                .licenseId("lic-" + clientId).code(LicenseCheckCode.VALID).proof(ProofKind.DPOP)
                .connection(address, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS12_JA4)
                .latencyMillis(1.5).sdk(new SdkInfo("tlswatch-java", "0.1.0", JAVA21, "Linux"))
                .tokenExpiresAt(time.plus(Duration.ofMinutes(15))).graceUntil(time.plus(Duration.ofDays(30))).build();
    }

    private static HandshakeEvent failure(String address, Instant time) {
        ClientHelloSummary hello = ClientHelloSummary.builder().legacyVersion("TLSv1.2").supportedVersions(List.of())
                .cipherSuites(List.of("TLS_RSA_WITH_AES_128_CBC_SHA")).extensions(List.of(0, 10, 11))
                .highestOfferedVersion("TLSv1.2").ja3("769,47,0-10-11,,", "0123456789abcdef0123456789abcdef")
                .ja4(TLS12_JA4, TLS12_JA4 + "_raw").build();
        return HandshakeEvent.builder().time(time).source("validator@kill-it").remote(address, 50_000)
                .listener("validator", 8443).tlsProvider(TlsProvider.JDK).durationMillis(3.0).clientHello(hello)
                .failure(FailureReason.NO_SHARED_CIPHER, "no cipher suites in common").build();
    }

    private static void produce(KafkaBroker broker, PostureJobConfig config, List<Event> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("kill-it"),
                Serdes.String().serializer(), Serdes.ByteArray().serializer())) {
            for (Event e : events) {
                Topic<String, ?> topic = e instanceof HandshakeEvent ? config.topics().handshakes()
                        : config.topics().licenseChecks();
                producer.send(new ProducerRecord<>(topic.name(), null, e.time().toEpochMilli(), e.key(),
                        serialize(topic, e)));
            }
            producer.flush();
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<String, V> topic, Event e) {
        return topic.valueSerde().serializer().serialize(topic.name(), (V) e);
    }

    private static <V> KafkaConsumer<String, V> consumer(KafkaBroker broker, Topic<String, V> topic) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("streams-kill-it")),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    private static void poll(KafkaConsumer<String, ClientPosture> consumer, Map<String, ClientPosture> rows) {
        for (ConsumerRecord<String, ClientPosture> record : consumer.poll(Duration.ofMillis(300))) {
            rows.put(record.key(), record.value());
        }
    }

    private boolean ready(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Process launch(Path dir, String name, int port, String applicationId, Map<String, String> topics,
                           KafkaBroker broker) throws IOException {
        Path config = dir.resolve(name + ".properties");
        List<String> lines = new ArrayList<>(List.of(
                "admin.host=127.0.0.1", "admin.port=" + port, "admin.advertisedHost=127.0.0.1",
                "streams.applicationId=" + applicationId, "streams.stateDir=" + dir.resolve("state-" + name),
                "alerts.minHold=0s", "posture.rowRefresh=0s", "kafka.replication.factor=1",
                "kafka.num.stream.threads=1",
                // A transaction stays open for a second, so that the kill is likely to find one open.
                "kafka.commit.interval.ms=1000",
                // The survivor takes over once the killed member's session has expired.
                "kafka.session.timeout.ms=6000", "kafka.heartbeat.interval.ms=1500"));
        topics.forEach((key, value) -> lines.add(key + "=" + value));
        Files.writeString(config, String.join("\n", lines) + "\n");
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-jar", jar.toString(), "streams", "--config",
                config.toString()).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".txt").toFile());
        builder.environment().put("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        Process process = builder.start();
        processes.add(process);
        return process;
    }
}
