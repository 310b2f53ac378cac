package io.tlswatch.client;

import io.micrometer.core.instrument.Counter;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.topic.LicensePartition;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
 * Activation, heartbeats, deactivation and the machine codes against the real validator's {@code /v1/machines/*}
 * on a real broker, with the validator's defaults: what a test needs (one machine, explicit activation, a
 * heartbeat interval of seconds, allowed scopes) is the license's policy, written to {@code tlswatch.policies.v1},
 * or its overrides. One validator serves every test; each test has licenses and state directories of its own.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LicenseClientMachinesIT {

    private static final List<String> ENTITLEMENTS = List.of("reporting", "export");

    private KafkaBroker broker;
    private RealValidator server;

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
    void anExplicitPolicyAsksForActivationAndTheActivatedMachineValidates(@TempDir Path state) throws Exception {
        String key = issue(policy(terms(5, null, MachineActivation.EXPLICIT, null)), PolicyTerms.NONE);
        try (LicenseClient client = client(key, state).entitlements("reporting").build()) {
            LicenseStatus before = client.validate();
            assertThat(before.code()).contains("NO_MACHINE");
            assertThat(before.activationRequired()).isTrue();

            LicenseStatus activated = client.activate("build-host");

            assertThat(activated.state()).isEqualTo(LicenseState.VALID);
            assertThat(activated.activationRequired()).isFalse();
            assertThat(activated.machine()).hasValueSatisfying(m -> {
                assertThat(m.active()).isTrue();
                assertThat(m.id()).contains(client.clientId());
            });
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
        }
    }

    @Test
    void requiredHeartbeatsKeepTheMachineAndStopOnClose(@TempDir Path state) throws Exception {
        String key = issue(null, terms(5, Duration.ofSeconds(4), null, null));
        try (LicenseClient client = client(key, state).build()) {
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
    void deactivationFreesTheOnlySlotForAnotherMachine(@TempDir Path first, @TempDir Path second) throws Exception {
        String key = issue(null, terms(1, null, null, null));
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
    void deactivatingAMachineThatHoldsNoSlotIsNoMachine(@TempDir Path state) throws Exception {
        String key = issue(null, terms(5, null, MachineActivation.EXPLICIT, null));
        try (LicenseClient client = client(key, state).build()) {
            LicenseStatus status = client.deactivate();

            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("NO_MACHINE");
            assertThat(status.usable()).isFalse();
        }
    }

    @Test
    void activationWhenThePolicysOnlySlotIsTakenIsTooManyMachines(@TempDir Path first, @TempDir Path second)
            throws Exception {
        // given an explicit policy of one machine, and a machine that holds it
        String key = issue(policy(terms(1, null, MachineActivation.EXPLICIT, null)), PolicyTerms.NONE);
        try (LicenseClient holder = client(key, first).build();
             LicenseClient newcomer = client(key, second).build()) {
            assertThat(holder.activate("first-host").state()).isEqualTo(LicenseState.VALID);

            // when another machine activates
            LicenseStatus refused = newcomer.activate("second-host");

            // then it is refused as on any check, and the holder keeps its slot
            assertThat(refused.state()).isEqualTo(LicenseState.INVALID);
            assertThat(refused.code()).contains("TOO_MANY_MACHINES");
            assertThat(refused.usable()).isFalse();
            assertThat(refused.token()).isEmpty();
            assertThat(holder.validate().state()).isEqualTo(LicenseState.VALID);
        }
    }

    @Test
    void anEntitlementTheLicenseLacksEndsUseWithEntitlementsMissing(@TempDir Path state) throws Exception {
        String key = issue(null, PolicyTerms.NONE);
        try (LicenseClient client = client(key, state).entitlements("reporting", "sso").build()) {
            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("ENTITLEMENTS_MISSING");
            assertThat(status.entitlements()).isEmpty();
            assertThat(status.token()).isEmpty();
        }
    }

    @Test
    void anEntitlementThePolicyDoesNotAllowAskingForIsEntitlementsMissing(@TempDir Path first, @TempDir Path second)
            throws Exception {
        // given a license with reporting and export whose policy allows asking only for reporting
        String key = issue(policy(terms(5, null, null, List.of("reporting"))), PolicyTerms.NONE);
        try (LicenseClient allowed = client(key, first).entitlements("reporting").build();
             LicenseClient excluded = client(key, second).entitlements("export").build()) {
            // then asking for reporting is valid, on a check and on an activation
            assertThat(allowed.validate().state()).isEqualTo(LicenseState.VALID);
            assertThat(allowed.activate().state()).isEqualTo(LicenseState.VALID);

            // and asking for export, which the license has, is refused
            LicenseStatus status = excluded.validate();
            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("ENTITLEMENTS_MISSING");
        }
    }

    @Test
    void aMachineCulledUnderAnExplicitPolicyMustActivateAgain(@TempDir Path state) throws Exception {
        String key = issue(policy(terms(5, Duration.ofSeconds(2), MachineActivation.EXPLICIT, null)),
                PolicyTerms.NONE);
        String licenseId;
        String clientId;
        try (LicenseClient client = client(key, state).build()) {
            assertThat(client.activate().state()).isEqualTo(LicenseState.VALID);
            licenseId = client.status().licenseId().orElseThrow();
            clientId = client.clientId();
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).isPresent());
        }

        // when its heartbeats stopped (the application closed) until the server culled the machine
        awaitCulled(licenseId, clientId);

        // then the same installation's next check is NO_MACHINE, and asks the application to activate
        try (LicenseClient restarted = client(key, state).build()) {
            LicenseStatus status = restarted.validate();

            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("NO_MACHINE");
            assertThat(status.activationRequired()).isTrue();
            assertThat(restarted.activate().state()).isEqualTo(LicenseState.VALID);
        }
    }

    @Test
    void aMachineCulledUnderAnOnCheckPolicyIsActivatedAgainByItsNextCheck(@TempDir Path state) throws Exception {
        String key = issue(policy(terms(1, Duration.ofSeconds(2), MachineActivation.ON_CHECK, null)),
                PolicyTerms.NONE);
        Instant firstActivation;
        String licenseId;
        String clientId;
        try (LicenseClient client = client(key, state).build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            licenseId = client.status().licenseId().orElseThrow();
            clientId = client.clientId();
            firstActivation = client.status().machine().flatMap(Machine::activatedAt).orElseThrow();
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).isPresent());
        }

        awaitCulled(licenseId, clientId);

        // then the next check takes the (only) slot again, as a new activation, and heartbeats resume
        try (LicenseClient restarted = client(key, state).build()) {
            LicenseStatus status = restarted.validate();

            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(status.machine()).hasValueSatisfying(m -> {
                assertThat(m.active()).isTrue();
                assertThat(m.activatedAt()).hasValueSatisfying(at -> assertThat(at).isAfter(firstActivation));
            });
            await().atMost(Duration.ofSeconds(15)).until(() -> restarted.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).isPresent());
        }
    }

    @Test
    void aMachineDeactivatedByAnOperatorUnderAnExplicitPolicyIsToldAtItsNextHeartbeatThatItMustActivate(
            @TempDir Path state) throws Exception {
        String key = issue(policy(terms(5, Duration.ofSeconds(2), MachineActivation.EXPLICIT, null)),
                PolicyTerms.NONE);
        // no start(): without background checks, only a heartbeat's NO_MACHINE can lead to the check after it
        try (LicenseClient client = client(key, state).build()) {
            assertThat(client.activate().state()).isEqualTo(LicenseState.VALID);

            // when an operator deactivates the machine while its heartbeats run
            deactivateByOperator(client);

            // then its next heartbeat's NO_MACHINE, confirmed by a check, ends use and asks for activation
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == LicenseState.INVALID);
            assertThat(client.status().code()).contains("NO_MACHINE");
            assertThat(client.status().activationRequired()).isTrue();
        }
    }

    @Test
    void aMachineDeactivatedByAnOperatorUnderAnOnCheckPolicyIsActivatedAgainByTheCheckAfterItsHeartbeat(
            @TempDir Path state) throws Exception {
        String key = issue(policy(terms(5, Duration.ofSeconds(2), MachineActivation.ON_CHECK, null)),
                PolicyTerms.NONE);
        try (LicenseClient client = client(key, state).build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            Instant firstActivation = client.status().machine().flatMap(Machine::activatedAt).orElseThrow();

            deactivateByOperator(client);

            // then the check after the heartbeat's NO_MACHINE activates it anew (a heartbeat cannot), and it beats on
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().machine().flatMap(Machine::activatedAt)
                    .map(at -> at.isAfter(firstActivation)).orElse(false));
            assertThat(client.status().state()).isEqualTo(LicenseState.VALID);
            Instant reactivated = client.status().machine().flatMap(Machine::activatedAt).orElseThrow();
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).map(at -> at.isAfter(reactivated)).orElse(false));
        }
    }

    @Test
    void aLicenseRevokedWhileHeartbeatsRunIsToldByTheNextOne(@TempDir Path state) throws Exception {
        String key = issue(null, terms(5, Duration.ofSeconds(4), null, null));
        try (LicenseClient client = client(key, state).build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            String licenseId = client.status().licenseId().orElseThrow();

            server.revoke(licenseId);

            await().atMost(Duration.ofSeconds(30)).until(() -> client.status().state() == LicenseState.INVALID);
            assertThat(client.status().code()).contains("REVOKED");
            await("the heartbeats stop").atMost(Duration.ofSeconds(15))
                    .until(() -> LicenseClientMachinesTest.heartbeatThreads().isEmpty());
        }
    }

    @Test
    void aPolicyThatNoLongerRequiresHeartbeatsStopsThemAtTheNextAnswer(@TempDir Path state) throws Exception {
        String policyId = policy(terms(5, Duration.ofSeconds(2), null, null));
        String key = issue(policyId, PolicyTerms.NONE);
        try (LicenseClient client = client(key, state).build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().machine()
                    .flatMap(Machine::lastHeartbeatAt).isPresent());

            // when the policy is changed to require no heartbeats
            update(policyId, terms(5, null, null, null));

            // then the next heartbeat's answer says so, and no more go
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().machine()
                    .map(m -> !m.heartbeatRequired()).orElse(false));
            await().atMost(Duration.ofSeconds(15)).until(() -> LicenseClientMachinesTest.heartbeatThreads().isEmpty());
            assertThat(client.status().state()).isEqualTo(LicenseState.VALID);
        }
    }

    private static PolicyTerms terms(int maxMachines, Duration heartbeat, MachineActivation activation,
                                     List<String> allowedScopes) {
        return new PolicyTerms(maxMachines, null, heartbeat, heartbeat == null ? null : HeartbeatLapse.DEACTIVATE,
                null, null, null, activation, allowedScopes);
    }

    /**
     * What the admin API's machine deactivation writes: a {@code DEACTIVATED}/{@code operator} row on the
     * license's partition of {@code tlswatch.machines.v1}; once this validator has folded it.
     */
    private void deactivateByOperator(LicenseClient client) throws Exception {
        String licenseId = client.status().licenseId().orElseThrow();
        Instant activatedAt = client.status().machine().flatMap(Machine::activatedAt).orElseThrow();
        MachineRecord row = MachineRecord.activated(activatedAt, "client-it", licenseId, client.clientId(), null)
                .deactivated(Instant.now(), "client-it", MachineDeactivation.OPERATOR, "client-it", "moved");
        double before = folded();
        try (KafkaProducer<String, MachineRecord> producer = new KafkaProducer<>(
                broker.settings().producer("client-it"), Topics.MACHINES.keySerde().serializer(),
                Topics.MACHINES.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.MACHINES.name(),
                    LicensePartition.of(licenseId, Topics.MACHINES.partitions()), row.key(), row))
                    .get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> folded() > before);
    }

    /** Deactivation rows this validator has folded so far. */
    private double folded() {
        Counter counter = server.validator().meters().find("tlswatch.machines.rows").tag("change", "deactivated")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits until the culler's row for this installation's machine of the license is on the topic. */
    private void awaitCulled(String licenseId, String clientId) {
        String key = MachineRecord.keyOf(licenseId, clientId);
        TopicPartition partition = new TopicPartition(Topics.MACHINES.name(),
                LicensePartition.of(licenseId, Topics.MACHINES.partitions()));
        try (KafkaConsumer<String, MachineRecord> consumer = new KafkaConsumer<>(
                broker.settings().consumer("client-it-" + UUID.randomUUID()),
                Topics.MACHINES.keySerde().deserializer(), Topics.MACHINES.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, MachineRecord> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key().equals(key) && record.value() != null
                            && record.value().deactivation() == MachineDeactivation.HEARTBEAT_DEAD) {
                        return true;
                    }
                }
                return false;
            });
        }
    }

    /** A new policy with these terms, once the validator has it; its id. */
    private String policy(PolicyTerms terms) throws Exception {
        String policyId = "pol-" + UUID.randomUUID();
        update(policyId, terms);
        return policyId;
    }

    /** The policy's terms from now on, once the validator has them. */
    private void update(String policyId, PolicyTerms terms) throws Exception {
        send(Topics.POLICIES, PolicyRecord.of(Instant.now(), "client-it", policyId, "client-it", terms, null, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> server.validator().policies().byId(policyId)
                .map(p -> p.terms().equals(terms)).orElse(false));
    }

    /** A new license of {@code policyId} (or none) with these overrides, once the validator has it; its key. */
    private String issue(String policyId, PolicyTerms overrides) throws Exception {
        String key = "TLSW-IT-" + UUID.randomUUID();
        String licenseId = "lic-" + UUID.randomUUID();
        Instant now = Instant.now();
        LicenseRecord license = LicenseRecord.builder().time(now).source("client-it").licenseId(licenseId)
                .customer("Acme").plan("machines").entitlements(ENTITLEMENTS).maxMachines(5)
                .notBefore(now.minusSeconds(60)).notAfter(now.plus(Duration.ofDays(30)))
                .status(LicenseRecordStatus.ACTIVE).gracePeriod(Duration.ofHours(72)).licenseKey(key)
                .policyId(policyId).overrides(overrides).build();
        send(Topics.LICENSES, license);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> server.validator().registry().byLicenseId(licenseId).isPresent());
        return key;
    }

    private <V extends Event> void send(Topic<String, V> topic, V value) throws Exception {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(broker.settings().producer("client-it"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), value.key(), value)).get(30, TimeUnit.SECONDS);
        }
    }

    private LicenseClient.Builder client(String key, Path directory) {
        return LicenseClient.builder().serverUrl(server.url()).licenseKey(key).stateDirectory(directory)
                .trustedCas(server.caCertificate()).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10));
    }
}
