package io.tlswatch.validator.license;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.machine.LedgerMachines;
import io.tlswatch.validator.token.TokenSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBrokerExtension.class)
class LicenseAdminIT {

    private static final Logger log = LoggerFactory.getLogger(LicenseAdminIT.class);
    private static final Duration LIVE = Duration.ofSeconds(5);
    private static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2099-01-01T00:00:00Z");

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static LicenseAdmin admin(KafkaBroker broker, Topic<String, LicenseRecord> topic) {
        return new LicenseAdmin(broker.settings(), topic, Clock.systemUTC(), "licenses@admin-it",
                new LicenseKeys(new SecureRandom()), Duration.ofSeconds(30));
    }

    private static IssuedLicense issueOne(LicenseAdmin admin, String customer) {
        return admin.issue(customer, "enterprise", List.of("reporting", "fleet-sync"), 2, NOT_BEFORE, NOT_AFTER,
                Duration.ofHours(72));
    }

    private LicenseRegistry startedRegistry(KafkaBroker broker, Topic<String, LicenseRecord> topic)
            throws InterruptedException {
        LicenseRegistry registry = new LicenseRegistry(broker.settings(), topic, meters);
        registry.start();
        registry.awaitCaughtUp(Duration.ofSeconds(60));
        return registry;
    }

    /** Every record of the topic as raw bytes: what anyone with read access to the topic can see. */
    private static List<ConsumerRecord<byte[], byte[]>> rawRecords(KafkaBroker broker, Topic<?, ?> topic) {
        Map<String, Object> props = broker.settings().consumer(KafkaBroker.uniqueGroupId("raw-scan"));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return records;
    }

    private static boolean contains(byte[] haystack, String needle) {
        return haystack != null && new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void anIssuedLicenseIsFoundByItsKeyAndTheKeyItselfIsNeverWritten(KafkaBroker broker) throws Exception {
        // given an empty registry topic and a registry following it
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseRegistry registry = startedRegistry(broker, topic);
             LicenseAdmin admin = admin(broker, topic)) {

            // when a license is issued
            IssuedLicense issued = issueOne(admin, "Acme Logistics GmbH");

            // then the registry finds it by the key within seconds, and so does the admin tool
            String key = issued.licenseKey();
            assertThat(key).matches("TLSW-[A-Z2-7]{52}");
            await().atMost(LIVE).until(() -> registry.byKey(key).isPresent());
            LicenseRecord found = registry.byKey(key).orElseThrow();
            assertThat(found).isEqualTo(issued.license());
            assertThat(found.licenseId()).matches("lic-[a-z2-7]{16}");
            assertThat(found.customer()).isEqualTo("Acme Logistics GmbH");
            assertThat(found.entitlements()).containsExactly("reporting", "fleet-sync");
            assertThat(found.status()).isEqualTo(LicenseRecordStatus.ACTIVE);
            assertThat(admin.findByKey(key)).contains(issued.license());
            assertThat(issued.toString()).doesNotContain(key.substring(5));

            // and the topic's raw bytes hold the license and its key hash, but neither the key nor its random part
            List<ConsumerRecord<byte[], byte[]>> raw = rawRecords(broker, topic);
            assertThat(raw).hasSize(1);
            ConsumerRecord<byte[], byte[]> record = raw.get(0);
            assertThat(contains(record.value(), found.licenseId())).isTrue();
            assertThat(contains(record.value(), found.keyHash())).isTrue();
            String randomPart = key.substring(LicenseKeys.KEY_PREFIX.length());
            for (String secret : List.of(key, randomPart, randomPart.toLowerCase())) {
                assertThat(contains(record.key(), secret)).as("key bytes contain %s", secret).isFalse();
                assertThat(contains(record.value(), secret)).as("value bytes contain %s", secret).isFalse();
                for (Header header : record.headers()) {
                    assertThat(contains(header.value(), secret)).as("header %s", header.key()).isFalse();
                }
            }
        }
    }

    @Test
    void aRevocationTakesEffectInTheRegistryWithinSeconds(KafkaBroker broker) throws Exception {
        // given a license that validates against a live registry
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseRegistry registry = startedRegistry(broker, topic);
             LicenseAdmin admin = admin(broker, topic)) {
            IssuedLicense issued = issueOne(admin, "Acme");
            LicenseDecision decision = new LicenseDecision(registry, new DefaultTerms(Duration.ofHours(24),
                    TokenSettings.DEFAULT_LIFETIME, false), new LedgerMachines(registry::byLicenseId).gate());
            await().atMost(LIVE).until(() -> registry.byKey(issued.licenseKey()).isPresent());
            assertThat(decision.decide(issued.licenseKey(), "client-1", ProofOutcome.none(), Instant.now()).code())
                    .isEqualTo(LicenseCheckCode.VALID);

            // when the license is revoked with the admin tool
            long revokedAt = System.nanoTime();
            StatusChange change = admin.revoke(issued.license().licenseId());
            long acknowledgedAt = System.nanoTime();

            // then validation answers REVOKED within seconds
            assertThat(change.written()).isTrue();
            assertThat(change.previous()).isEqualTo(LicenseRecordStatus.ACTIVE);
            assertThat(change.license().status()).isEqualTo(LicenseRecordStatus.REVOKED);
            assertThat(change.license().id()).isNotEqualTo(issued.license().id());
            await().atMost(LIVE).pollInterval(Duration.ofMillis(10)).until(() -> decision.decide(
                    issued.licenseKey(), "client-1", ProofOutcome.none(), Instant.now()).code()
                    == LicenseCheckCode.REVOKED);
            long visibleAt = System.nanoTime();
            log.info("Revocation visible to validation {} ms after Kafka acknowledged it ({} ms after the admin call"
                    + " began)", (visibleAt - acknowledgedAt) / 1_000_000, (visibleAt - revokedAt) / 1_000_000);
        }
    }

    @Test
    void suspendAndResumeToggleWhileARevokedLicenseStaysRevoked(KafkaBroker broker) throws Exception {
        // given an issued license and a registry
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseRegistry registry = startedRegistry(broker, topic);
             LicenseAdmin admin = admin(broker, topic)) {
            String id = issueOne(admin, "Acme").license().licenseId();

            // when it is suspended, then resumed, then resumed again
            StatusChange suspended = admin.suspend(id);
            await().atMost(LIVE).until(() -> registry.byLicenseId(id).map(LicenseRecord::status)
                    .orElseThrow() == LicenseRecordStatus.SUSPENDED);
            StatusChange resumed = admin.resume(id);
            await().atMost(LIVE).until(() -> registry.byLicenseId(id).map(LicenseRecord::status)
                    .orElseThrow() == LicenseRecordStatus.ACTIVE);
            StatusChange resumedAgain = admin.resume(id);

            // then the first two wrote rows, the third had nothing to do
            assertThat(suspended.written()).isTrue();
            assertThat(resumed.written()).isTrue();
            assertThat(resumedAgain.written()).isFalse();
            assertThat(rawRecords(broker, topic)).hasSize(3);

            // and once revoked, resuming and suspending are refused and write nothing
            admin.revoke(id);
            assertThatThrownBy(() -> admin.resume(id))
                    .isInstanceOfSatisfying(LicenseAdminException.class,
                            e -> assertThat(e.kind()).isEqualTo(LicenseAdminException.Kind.REFUSED))
                    .hasMessageContaining("revocation is final");
            assertThatThrownBy(() -> admin.suspend(id)).isInstanceOf(LicenseAdminException.class);
            assertThat(admin.find(id).map(LicenseRecord::status)).contains(LicenseRecordStatus.REVOKED);
            assertThat(rawRecords(broker, topic)).hasSize(4);
        }
    }

    @Test
    void listShowsTheLatestRowOfEveryLicense(KafkaBroker broker) {
        // given three licenses, one of them suspended
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseAdmin admin = admin(broker, topic)) {
            List<String> ids = new ArrayList<>();
            for (String customer : List.of("A", "B", "C")) {
                ids.add(issueOne(admin, customer).license().licenseId());
            }
            admin.suspend(ids.get(1));

            // when they are listed
            List<LicenseRecord> listed = admin.list();

            // then each appears once, sorted by id, in its latest status
            assertThat(listed).extracting(LicenseRecord::licenseId)
                    .containsExactlyElementsOf(ids.stream().sorted().toList());
            assertThat(listed).filteredOn(l -> l.licenseId().equals(ids.get(1)))
                    .extracting(LicenseRecord::status).containsExactly(LicenseRecordStatus.SUSPENDED);
        }
    }

    @Test
    void anUnknownIdIsRefusedWithAClearMessage(KafkaBroker broker) {
        // given an empty registry
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseAdmin admin = admin(broker, topic)) {
            // when an unknown license is revoked
            // then it is refused, naming the id and the topic
            assertThatThrownBy(() -> admin.revoke("lic-nosuchlicense"))
                    .isInstanceOfSatisfying(LicenseAdminException.class,
                            e -> assertThat(e.kind()).isEqualTo(LicenseAdminException.Kind.NOT_FOUND))
                    .hasMessageContaining("no license with id 'lic-nosuchlicense'")
                    .hasMessageContaining(topic.name());
        }
    }

    @Test
    void anInvalidIssueWritesNothing(KafkaBroker broker) {
        // given an empty registry
        Topic<String, LicenseRecord> topic = broker.createUnique(Topics.LICENSES);
        try (LicenseAdmin admin = admin(broker, topic)) {
            // when a license is issued that ends before it starts, or for no machines
            // then it is refused as invalid and the topic stays empty
            assertThatThrownBy(() -> admin.issue("Acme", "basic", List.of(), 1, NOT_AFTER, NOT_BEFORE, null))
                    .isInstanceOfSatisfying(LicenseAdminException.class,
                            e -> assertThat(e.kind()).isEqualTo(LicenseAdminException.Kind.INVALID))
                    .hasMessageContaining("notAfter");
            assertThatThrownBy(() -> admin.issue("Acme", "basic", List.of(), 0, null, null, null))
                    .isInstanceOf(LicenseAdminException.class)
                    .hasMessageContaining("maxMachines");
            assertThat(admin.list()).isEmpty();
        }
    }

    @Test
    void aMissingTopicIsReportedNotWaitedFor(KafkaBroker broker) {
        // given a topic name that does not exist
        Topic<String, LicenseRecord> missing = Topics.LICENSES.withName(KafkaBroker.uniqueGroupId("no-such-topic"));
        try (LicenseAdmin admin = admin(broker, missing)) {
            // when licenses are listed
            // then the operator is told the topic does not exist
            assertThatThrownBy(admin::list)
                    .isInstanceOfSatisfying(LicenseAdminException.class,
                            e -> assertThat(e.kind()).isEqualTo(LicenseAdminException.Kind.KAFKA))
                    .hasMessageContaining("does not exist");
        }
    }
}
