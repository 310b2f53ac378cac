package io.tlswatch.validator.license;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBrokerExtension.class)
class LicenseRegistryIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** A change must be visible within this: a revocation reaches the validator in seconds at most (validator.md). */
    private static final Duration LIVE = Duration.ofSeconds(5);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static LicenseRecord license(String id, LicenseRecordStatus status) {
        return LicenseRecord.builder()
                .time(Instant.now())
                .source("test@registry-it")
                .licenseId(id)
                .customer("Customer of " + id)
                .plan("basic")
                .maxMachines(3)
                .notBefore(Instant.parse("2025-01-01T00:00:00Z"))
                .status(status)
                .licenseKey(keyOf(id))
                .build();
    }

    private static String keyOf(String id) {
        return "TLSW-KEY-OF-" + id;
    }

    /** Writes raw values (null for a tombstone) and waits for every acknowledgement. */
    private static void writeRaw(KafkaBroker broker, Topic<String, LicenseRecord> topic, List<String> keys,
                                 List<byte[]> values) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("registry-it"),
                new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                sent.add(producer.send(new ProducerRecord<>(topic.name(), keys.get(i), values.get(i))));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
    }

    private static void write(KafkaBroker broker, Topic<String, LicenseRecord> topic, List<LicenseRecord> rows)
            throws Exception {
        writeRaw(broker, topic, rows.stream().map(LicenseRecord::licenseId).toList(),
                rows.stream().map(r -> topic.valueSerde().serializer().serialize(topic.name(), r)).toList());
    }

    private LicenseRegistry startedRegistry(KafkaBroker broker, Topic<String, LicenseRecord> topic)
            throws InterruptedException {
        LicenseRegistry registry = new LicenseRegistry(broker.settings(), topic, meters);
        registry.start();
        registry.awaitCaughtUp(CATCH_UP);
        return registry;
    }

    @Test
    void reportsCaughtUpOnlyOnceEveryExistingLicenseIsLoaded(KafkaBroker broker) throws Exception {
        // given 1,500 licenses (three polls' worth) and a later revoking row for every tenth one
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        List<LicenseRecord> rows = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            rows.add(license("lic-" + i, LicenseRecordStatus.ACTIVE));
        }
        for (int i = 0; i < 1500; i += 10) {
            rows.add(license("lic-" + i, LicenseRecordStatus.REVOKED));
        }
        write(broker, topic, rows);

        // when a registry starts and reports that it has caught up
        try (LicenseRegistry registry = new LicenseRegistry(broker.settings(), topic, meters)) {
            registry.start();
            registry.awaitCaughtUp(CATCH_UP);

            // then, at that moment already, it holds every license in its latest row
            assertThat(registry.isCaughtUp()).isTrue();
            assertThat(registry.size()).isEqualTo(1500);
            assertThat(registry.byKey(keyOf("lic-10")).map(LicenseRecord::status)).contains(LicenseRecordStatus.REVOKED);
            assertThat(registry.byKey(keyOf("lic-11")).map(LicenseRecord::status)).contains(LicenseRecordStatus.ACTIVE);
            assertThat(registry.byKey(keyOf("lic-1499"))).isPresent();
            assertThat(meters.get("tlswatch.licenses.registry.ready").gauge().value()).isEqualTo(1.0);
            assertThat(meters.get("tlswatch.licenses.registry.licenses").gauge().value()).isEqualTo(1500.0);
        }
    }

    @Test
    void anEmptyRegistryIsCaughtUpAtOnceAndThenSeesNewLicenses(KafkaBroker broker) throws Exception {
        // given an empty topic and a registry that caught up on it
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseRegistry registry = startedRegistry(broker, topic)) {
            assertThat(registry.size()).isZero();

            // when a license is written
            write(broker, topic, List.of(license("lic-new", LicenseRecordStatus.ACTIVE)));

            // then it can be looked up by its key within seconds
            await().atMost(LIVE).until(() -> registry.byKey(keyOf("lic-new")).isPresent());
        }
    }

    @Test
    void awaitLicenseReturnsOnceAWrittenRowIsInTheTableAndFalseWhenItNeverComes(KafkaBroker broker) throws Exception {
        // given a registry following an empty topic
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseRegistry registry = startedRegistry(broker, topic)) {

            // when a license is written, then suspended
            write(broker, topic, List.of(license("lic-wait", LicenseRecordStatus.ACTIVE),
                    license("lic-wait", LicenseRecordStatus.SUSPENDED)));

            // then a wait for the suspension returns as soon as that row is applied
            assertThat(registry.awaitLicense("lic-wait", l -> l.status() == LicenseRecordStatus.SUSPENDED, LIVE)).isTrue();
            assertThat(registry.byLicenseId("lic-wait")).hasValueSatisfying(
                    l -> assertThat(l.status()).isEqualTo(LicenseRecordStatus.SUSPENDED));
            // and a wait for a row that never comes gives up at its timeout
            assertThat(registry.awaitLicense("lic-absent", l -> true, java.time.Duration.ofMillis(300))).isFalse();
        }
    }

    @Test
    void aTombstoneDeletesTheLicense(KafkaBroker broker) throws Exception {
        // given a registry holding a license
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        write(broker, topic, List.of(license("lic-doomed", LicenseRecordStatus.ACTIVE),
                license("lic-kept", LicenseRecordStatus.ACTIVE)));
        try (LicenseRegistry registry = startedRegistry(broker, topic)) {
            assertThat(registry.byKey(keyOf("lic-doomed"))).isPresent();

            // when a tombstone is written for it
            writeRaw(broker, topic, List.of("lic-doomed"), Collections.singletonList(null));

            // then it is gone by key and by id, and the other stays
            await().atMost(LIVE).until(() -> registry.byKey(keyOf("lic-doomed")).isEmpty());
            assertThat(registry.byLicenseId("lic-doomed")).isEmpty();
            assertThat(registry.byKey(keyOf("lic-kept"))).isPresent();
            assertThat(meters.get("tlswatch.licenses.registry.records").tag("kind", "delete").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void poisonRecordsAreSkippedAndCountedWhileLaterRecordsStillArrive(KafkaBroker broker) throws Exception {
        // given a topic with a record that is not JSON among good ones, read by a registry
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        byte[] good = topic.valueSerde().serializer()
                .serialize(topic.name(), license("lic-early", LicenseRecordStatus.ACTIVE));
        writeRaw(broker, topic, List.of("lic-early", "lic-early"),
                List.of("{not json".getBytes(StandardCharsets.UTF_8), good));
        try (LicenseRegistry registry = startedRegistry(broker, topic)) {
            assertThat(registry.byKey(keyOf("lic-early"))).isPresent();

            // when more bad records arrive (another event type; a row under a key that is not its id), then a good
            // one under the same key, so in the same partition right behind them
            byte[] otherType = "{\"type\":\"tlswatch.alert/1\",\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            byte[] misfiled = topic.valueSerde().serializer()
                    .serialize(topic.name(), license("lic-elsewhere", LicenseRecordStatus.ACTIVE));
            byte[] late = topic.valueSerde().serializer()
                    .serialize(topic.name(), license("lic-late", LicenseRecordStatus.ACTIVE));
            writeRaw(broker, topic, List.of("lic-late", "lic-late", "lic-late"), List.of(otherType, misfiled, late));

            // then the good one arrives, the three bad ones are counted, and the registry still follows
            await().atMost(LIVE).until(() -> registry.byKey(keyOf("lic-late")).isPresent());
            assertThat(registry.invalidRecords()).isEqualTo(3);
            assertThat(meters.get("tlswatch.licenses.registry.invalid").counter().count()).isEqualTo(3.0);
            assertThat(registry.byLicenseId("lic-elsewhere")).isEmpty();
            assertThat(registry.byKey(keyOf("lic-elsewhere"))).isEmpty();
            assertThat(registry.isCaughtUp()).isTrue();
        }
    }

    @Test
    void aMissingTopicMakesTheWaitFailLoudlyWithinItsBound(KafkaBroker broker) throws Exception {
        // given a registry on a topic that does not exist
        Topic<String, LicenseRecord> missing = Topics.LICENSES.withName("tlswatch.licenses.v1-missing-"
                + KafkaBroker.uniqueGroupId("it"));
        try (LicenseRegistry registry = new LicenseRegistry(broker.settings(), missing, meters)) {
            registry.start();
            long started = System.nanoTime();

            // when the server waits for it to catch up
            // then the wait fails after its bound, naming the topic and what is wrong
            assertThatThrownBy(() -> registry.awaitCaughtUp(Duration.ofSeconds(3)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(missing.name())
                    .hasMessageContaining("does not exist");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(registry.isCaughtUp()).isFalse();
        }
    }

    @Test
    void closeStopsTheFollowerPromptlyAndReadinessDrops(KafkaBroker broker) throws Exception {
        // given a caught-up registry
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        LicenseRegistry registry = startedRegistry(broker, topic);
        long started = System.nanoTime();

        // when it is closed
        boolean stopped = registry.close(Duration.ofSeconds(10));

        // then the follower ended in time and the registry no longer claims to be ready
        assertThat(stopped).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(registry.isCaughtUp()).isFalse();
    }
}
