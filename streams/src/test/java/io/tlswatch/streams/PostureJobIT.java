package io.tlswatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.streams.config.JobTopics;
import io.tlswatch.streams.config.PostureJobConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tlswatch.streams.TestEvents.TLS12_JA4;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.legacyReport;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.tls12Check;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The job on a real broker: two instances share one application id, events go in, posture rows and alerts
 * come out, and the query API gives the same answers from either instance.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PostureJobIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<PostureJob> jobs = new ArrayList<>();

    @AfterEach
    void stop() {
        jobs.forEach(PostureJob::close);
    }

    /** The catalogue's topics under names of this test's own, with two partitions each to keep it quick. */
    private static Map<String, String> uniqueTopics(KafkaBroker broker) {
        String suffix = "-" + UUID.randomUUID();
        JobTopics d = JobTopics.DEFAULTS;
        Map<String, String> keys = Map.of(
                "topics.handshakes", d.handshakes().name() + suffix,
                "topics.licenseChecks", d.licenseChecks().name() + suffix,
                "topics.clientReports", d.clientReports().name() + suffix,
                "topics.clientPosture", d.clientPosture().name() + suffix,
                "topics.fingerprintPosture", d.fingerprintPosture().name() + suffix,
                "topics.alerts", d.alerts().name() + suffix,
                "topics.deadLetters", d.deadLetters().name() + suffix);
        PostureJobConfig named = PostureJobConfig.from(ConfigSource.of(keys));
        try (Admin admin = broker.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30), 2).ensure(named.topics().all());
        }
        return keys;
    }

    private PostureJob start(KafkaBroker broker, Map<String, String> topics, String applicationId, Path stateDir) {
        return start(broker, topics, applicationId, stateDir, true);
    }

    /** @param noHold whether to commit every change at once ({@code alerts.minHold=0s}) rather than the default */
    private PostureJob start(KafkaBroker broker, Map<String, String> topics, String applicationId, Path stateDir,
                             boolean noHold) {
        Map<String, String> values = new HashMap<>(topics);
        values.putAll(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "streams.applicationId", applicationId,
                "streams.stateDir", stateDir.toString(),
                "admin.host", "127.0.0.1",
                "admin.port", "0",
                "admin.advertisedHost", "127.0.0.1",
                "posture.rowRefresh", "0s",
                "kafka.commit.interval.ms", "100"));
        if (noHold) {
            values.put("alerts.minHold", "0s");
        }
        values.put("kafka.num.stream.threads", "1");
        values.put("metrics.refreshEvery", "500ms");
        values.put("kafka.replication.factor", "1");
        PostureJob job = PostureJob.start(PostureJobConfig.from(ConfigSource.of(values)));
        jobs.add(job);
        return job;
    }

    @Test
    void twoInstancesShareTheWorkAndAnswerQueriesAlikeFromEither(KafkaBroker broker, @TempDir Path dirA,
                                                                @TempDir Path dirB) throws Exception {
        Map<String, String> topics = uniqueTopics(broker);
        PostureJobConfig config = PostureJobConfig.from(ConfigSource.of(topics));
        String applicationId = "posture-it-" + UUID.randomUUID();
        PostureJob a = start(broker, topics, applicationId, dirA);
        PostureJob b = start(broker, topics, applicationId, dirB);
        await().atMost(WAIT).until(() -> a.activeTasks() > 0 && b.activeTasks() > 0
                && a.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING
                && b.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);

        Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
        List<Event> checks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String address = "203.0.113." + (10 + i);
            // 0-3 run TLS 1.2-only stacks the policy will refuse; 4 is a TLS 1.0-only one that only ever reports
            checks.add(i < 4 ? tls12Check("client-" + i, address, t0.plusSeconds(i))
                    : i == 4 ? legacyReport("client-" + i, address, t0.plusSeconds(i))
                    : validCheck("client-" + i, address, t0.plusSeconds(i)));
        }
        produce(broker, config, checks);
        // The clients are known (their addresses learned) before their failures arrive, as in real life,
        // where a client checked in long before its stack broke.
        await().atMost(WAIT).untilAsserted(() -> assertThat(clientIds(get(a, "/v1/clients"))).hasSize(10));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String address = "203.0.113." + (10 + i);
            for (int n = 1; n <= 3; n++) {
                events.add(failure(address, t0.plusSeconds(60L * n + i), FailureReason.NO_SHARED_CIPHER, "TLSv1.2",
                        TLS12_JA4));
            }
        }
        // client-4's own report came over a TLS 1.0 connection: one offer of its own is enough
        events.add(report("client-4", "203.0.113.14", t0.plusSeconds(400), "tls.version_or_cipher_mismatch")
                .arrival(new Arrival(HandshakeEvent.LISTENER_COLLECTOR, "TLSv1", "TLS_RSA_WITH_AES_128_CBC_SHA",
                        TestEvents.JAVA7_JA4)).build());
        events.add(outdatedFailure("203.0.113.14", t0.plusSeconds(401)));
        produce(broker, config, events);

        List<AlertEvent> alerts = new ArrayList<>();
        try (KafkaConsumer<String, AlertEvent> consumer = consumer(broker, config.topics().alerts())) {
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> alerts.add(r.value()));
                return alerts.size() >= 5;
            });
        }
        assertThat(alerts).extracting(AlertEvent::dedupKey).containsExactlyInAnyOrder(
                "tls-outdated:client-0", "tls-outdated:client-1", "tls-outdated:client-2", "tls-outdated:client-3",
                "tls-outdated:client-4");
        assertThat(alerts).allSatisfy(alert -> assertThat(alert.status()).isEqualTo(AlertStatus.FIRING));

        Map<String, ClientPosture> rows = new HashMap<>();
        try (KafkaConsumer<String, ClientPosture> consumer = consumer(broker, config.topics().clientPosture())) {
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, ClientPosture> r : consumer.poll(Duration.ofMillis(200))) {
                    rows.put(r.key(), r.value());
                }
                return rows.size() == 10;
            });
        }

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode fromA = get(a, "/v1/clients?posture=stuck");
            JsonNode fromB = get(b, "/v1/clients?posture=stuck");
            assertThat(clientIds(fromA)).containsExactly("client-0", "client-1", "client-2", "client-3");
            assertThat(clientIds(fromB)).isEqualTo(clientIds(fromA));
            // client-4 never completed a check: stuck and never validated is at risk
            assertThat(clientIds(get(a, "/v1/clients?posture=at_risk"))).containsExactly("client-4");
            assertThat(clientIds(get(b, "/v1/clients?posture=at_risk"))).containsExactly("client-4");
        });
        for (int i = 0; i < 10; i++) {
            JsonNode fromA = get(a, "/v1/clients/client-" + i);
            JsonNode fromB = get(b, "/v1/clients/client-" + i);
            assertThat(fromA.get("clientId").asText()).isEqualTo("client-" + i);
            assertThat(fromA.get("posture").asText()).isEqualTo(i < 4 ? "stuck" : i == 4 ? "at_risk" : "healthy");
            assertThat(fromB).isEqualTo(fromA);
        }
        JsonNode fingerprints = get(b, "/v1/fingerprints?outdated=true");
        assertThat(fingerprints.get("fingerprints")).hasSize(1);
        assertThat(fingerprints.get("fingerprints").get(0).get("highestOfferedVersion").asText()).isEqualTo("TLSv1");
        assertThat(get(a, "/v1/fingerprints?outdated=true")).isEqualTo(fingerprints);

        JsonNode whatIf = get(a, "/v1/what-if?minVersion=TLSv1.3");
        assertThat(whatIf.get("fingerprintsAffected").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(get(b, "/v1/what-if?minVersion=TLSv1.3")).isEqualTo(whatIf);

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri(b, "/v1/clients/nobody")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(uri(a, "/v1/clients?posture=fine")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.reader().readTree(bad.body()).at("/error/field").asText()).isEqualTo("posture");

        String metrics = http.send(HttpRequest.newBuilder(uri(a, "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body()
                + http.send(HttpRequest.newBuilder(uri(b, "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("tlswatch_streams_alerts").contains("tlswatch_streams_attributions")
                .contains("tlswatch_streams_clients").contains("tlswatch_streams_processing_lag");
        // The longest-stuck clients, one series each (ranked per instance), once the gauges were recounted.
        await().atMost(WAIT).untilAsserted(() -> {
            String scraped = http.send(HttpRequest.newBuilder(uri(a, "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body() + http.send(HttpRequest.newBuilder(uri(b,
                    "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scraped.lines().filter(l -> l.startsWith("tlswatch_streams_stuck_longest_seconds{")))
                    .hasSize(5).anySatisfy(l -> assertThat(l).contains("client_id=\"client-0\"")
                            .contains("posture=\"stuck\""));
        });
        assertThat(http.send(HttpRequest.newBuilder(uri(a, "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void aJudgementWaitingOutTheDefaultHoldIsFoundWithIncludePendingAndCountedInItsGauge(KafkaBroker broker,
                                                                                        @TempDir Path dir)
            throws Exception {
        // given a job with the default hold (alerts.minHold 10 min), and a client that checked in
        Map<String, String> topics = uniqueTopics(broker);
        PostureJobConfig config = PostureJobConfig.from(ConfigSource.of(topics));
        PostureJob job = start(broker, topics, "posture-it-" + UUID.randomUUID(), dir, false);
        await().atMost(WAIT).until(() -> job.state() == org.apache.kafka.streams.KafkaStreams.State.RUNNING);
        Instant t0 = Instant.now().minus(Duration.ofMinutes(5));
        String address = "203.0.113.40";
        produce(broker, config, List.of(validCheck("client-p", address, t0)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(clientIds(get(job, "/v1/clients"))).contains("client-p"));

        // when its trust store loses our CA
        produce(broker, config, List.of(
                failure(address, t0.plusSeconds(60), FailureReason.UNKNOWN_CA, "TLSv1.3", TestEvents.MODERN_JA4),
                failure(address, t0.plusSeconds(61), FailureReason.UNKNOWN_CA, "TLSv1.3", TestEvents.MODERN_JA4),
                failure(address, t0.plusSeconds(62), FailureReason.UNKNOWN_CA, "TLSv1.3", TestEvents.MODERN_JA4)));

        // then it is found among the stuck with includePending, not without, and counted as pending stuck
        await().atMost(WAIT).untilAsserted(() -> assertThat(clientIds(get(job,
                "/v1/clients?posture=stuck&includePending=true"))).containsExactly("client-p"));
        assertThat(clientIds(get(job, "/v1/clients?posture=stuck"))).isEmpty();
        JsonNode row = get(job, "/v1/clients/client-p");
        assertThat(row.get("posture").asText()).isEqualTo("healthy");
        assertThat(row.get("pendingPosture").asText()).isEqualTo("stuck");
        assertThat(row.get("pendingReasons").get(0).asText()).isEqualTo("old_trust_store:3");
        await().atMost(WAIT).untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(uri(job, "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body().lines()
                .filter(l -> l.startsWith("tlswatch_streams_clients_pending{")))
                .anySatisfy(l -> assertThat(l).contains("posture=\"stuck\"").endsWith(" 1.0"))
                .anySatisfy(l -> assertThat(l).contains("posture=\"healthy\"").endsWith(" 0.0")));
    }

    private static List<String> clientIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("clients").forEach(n -> ids.add(n.get("clientId").asText()));
        return ids;
    }

    private URI uri(PostureJob job, String path) {
        return URI.create("http://127.0.0.1:" + job.port() + path);
    }

    private JsonNode get(PostureJob job, String path) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri(job, path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as("GET %s: %s", path, new String(response.body())).isEqualTo(200);
        return Json.reader().readTree(response.body());
    }

    @Test
    void aByAddressTopicPartitionedUnlikeTheHandshakesTopicStopsTheStartNamingBoth(KafkaBroker broker,
                                                                                   @TempDir Path dir)
            throws Exception {
        Map<String, String> topics = uniqueTopics(broker);
        String applicationId = "posture-it-" + UUID.randomUUID();
        String byAddress = applicationId + "-by-address-repartition";
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(byAddress, 3, (short) 1))).all().get();
        }

        assertThatThrownBy(() -> start(broker, topics, applicationId, dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(byAddress + " has 3 partitions")
                .hasMessageContaining(topics.get("topics.handshakes") + " has 2")
                .hasMessageContaining("streams.applicationId");
    }

    private static void produce(KafkaBroker broker, PostureJobConfig config, List<Event> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("it"),
                Serdes.String().serializer(), Serdes.ByteArray().serializer())) {
            for (Event e : events) {
                Topic<String, ?> topic = e instanceof io.tlswatch.contract.event.HandshakeEvent
                        ? config.topics().handshakes()
                        : e instanceof io.tlswatch.contract.event.LicenseCheckEvent ? config.topics().licenseChecks()
                        : config.topics().clientReports();
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
                broker.settings().consumer(KafkaBroker.uniqueGroupId("posture-it")),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }
}
