package io.tlswatch.client;

import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Activation, heartbeats and deactivation against the real validator's {@code /v1/machines/*} on a real broker:
 * the licenses carry the policy terms as overrides (heartbeats, explicit activation, one machine).
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LicenseClientMachinesIT {

    private KafkaBroker broker;
    private RealValidator server;

    @TempDir
    Path first;
    @TempDir
    Path second;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        this.broker = broker;
        server = new RealValidator(broker, certificates, Map.of());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anExplicitPolicyAsksForActivationAndTheActivatedMachineValidates() throws Exception {
        String key = issue(terms(5, null, MachineActivation.EXPLICIT));
        try (LicenseClient client = client(key, first).build()) {
            LicenseStatus before = client.validate();
            assertThat(before.code()).contains("NO_MACHINE");
            assertThat(before.activationRequired()).isTrue();

            LicenseStatus activated = client.activate("build-host");

            assertThat(activated.state()).isEqualTo(LicenseState.VALID);
            assertThat(activated.machine()).hasValueSatisfying(m -> {
                assertThat(m.active()).isTrue();
                assertThat(m.id()).contains(client.clientId());
            });
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
        }
    }

    @Test
    void requiredHeartbeatsKeepTheMachineAndStopOnClose() throws Exception {
        String key = issue(terms(5, Duration.ofSeconds(4), null));
        try (LicenseClient client = client(key, first).build()) {
            client.start();

            await().atMost(Duration.ofSeconds(30)).until(() -> client.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).isPresent());
            Instant firstBeat = client.status().machine().flatMap(Machine::lastHeartbeatAt).orElseThrow();
            await().atMost(Duration.ofSeconds(30)).until(() -> client.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).map(at -> at.isAfter(firstBeat.plusSeconds(4))).orElse(false));
            assertThat(client.status().state()).isEqualTo(LicenseState.VALID);
            assertThat(client.status().machine()).hasValueSatisfying(m -> {
                assertThat(m.heartbeatRequired()).isTrue();
                assertThat(m.heartbeatInterval()).contains(Duration.ofSeconds(4));
            });
            assertThat(LicenseClientMachinesTest.heartbeatThreads()).hasSize(1);
        }
        assertThat(LicenseClientMachinesTest.heartbeatThreads()).isEmpty();
    }

    @Test
    void deactivationFreesTheOnlySlotForAnotherMachine() throws Exception {
        String key = issue(terms(1, null, null));
        try (LicenseClient holder = client(key, first).build();
             LicenseClient newcomer = client(key, second).build()) {
            assertThat(holder.validate().state()).isEqualTo(LicenseState.VALID);
            assertThat(newcomer.validate().code()).contains("TOO_MANY_MACHINES");

            LicenseStatus gone = holder.deactivate();

            assertThat(gone.code()).contains("DEACTIVATED");
            assertThat(gone.usable()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> newcomer.validate().state() == LicenseState.VALID);
        }
    }

    @Test
    void aLicenseRevokedWhileHeartbeatsRunIsToldByTheNextOne() throws Exception {
        String key = issue(terms(5, Duration.ofSeconds(4), null));
        try (LicenseClient client = client(key, first).build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            String licenseId = client.status().licenseId().orElseThrow();

            server.revoke(licenseId);

            await().atMost(Duration.ofSeconds(30)).until(() -> client.status().state() == LicenseState.INVALID);
            assertThat(client.status().code()).contains("REVOKED");
        }
    }

    private static PolicyTerms terms(int maxMachines, Duration heartbeat, MachineActivation activation) {
        return new PolicyTerms(maxMachines, null, heartbeat, heartbeat == null ? null : HeartbeatLapse.DEACTIVATE,
                null, null, null, activation, null);
    }

    private String issue(PolicyTerms terms) throws Exception {
        String key = "TLSW-IT-" + UUID.randomUUID();
        String licenseId = "lic-" + UUID.randomUUID();
        Instant now = Instant.now();
        LicenseRecord license = LicenseRecord.builder().time(now).source("client-it").licenseId(licenseId)
                .customer("Acme").plan("machines").entitlements(List.of("reporting"))
                .maxMachines(terms.maxMachines()).notBefore(now.minusSeconds(60))
                .notAfter(now.plus(Duration.ofDays(30))).status(LicenseRecordStatus.ACTIVE)
                .gracePeriod(Duration.ofHours(72)).licenseKey(key).overrides(terms).build();
        try (KafkaProducer<String, LicenseRecord> producer = new KafkaProducer<>(broker.settings().producer("client-it"),
                Topics.LICENSES.keySerde().serializer(), Topics.LICENSES.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.LICENSES.name(), license.key(), license)).get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(15))
                .until(() -> server.validator().registry().byLicenseId(licenseId).isPresent());
        return key;
    }

    private LicenseClient.Builder client(String key, Path directory) {
        return LicenseClient.builder().serverUrl(server.url()).licenseKey(key).stateDirectory(directory)
                .trustedCas(server.caCertificate()).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10));
    }
}
