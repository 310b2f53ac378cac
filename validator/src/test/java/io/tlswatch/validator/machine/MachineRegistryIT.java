package io.tlswatch.validator.machine;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.validator.license.EffectiveTerms;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas' machine registries (in one JVM) on a real broker, racing for the last slot of one-machine
 * licenses: the broker's order decides, and both replicas reach the same answer (docs/licenses.md, "An activation,
 * and two replicas racing for the last slot").
 */
@ExtendWith(KafkaBrokerExtension.class)
class MachineRegistryIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final EffectiveTerms ONE_MACHINE = new EffectiveTerms(1, Duration.ofHours(24), null,
            HeartbeatLapse.DEACTIVATE, Duration.ofMinutes(15), Duration.ZERO, false, MachineActivation.ON_CHECK, null);

    private final List<MachineRegistry> registries = new ArrayList<>();

    @AfterEach
    void close() {
        registries.forEach(MachineRegistry::close);
    }

    private MachineRegistry replica(KafkaBroker broker, Topic<String, MachineRecord> topic, String name)
            throws InterruptedException {
        MachineRegistry registry = new MachineRegistry(broker.settings(), topic, new SimpleMeterRegistry(), id -> 1,
                Duration.ofSeconds(5), name);
        registries.add(registry);
        registry.start();
        registry.awaitCaughtUp(CATCH_UP);
        return registry;
    }

    private static SharedMachines machines(MachineRegistry registry, String source) {
        return new SharedMachines(registry.ledger(), registry, registry.metrics(), Duration.ofSeconds(5), source);
    }

    private static LicenseRecord license(String id) {
        Instant now = Instant.now();
        return LicenseRecord.builder().time(now).source("test").licenseId(id).customer("Acme").plan("solo")
                .maxMachines(1).notBefore(now.minusSeconds(60)).status(LicenseRecordStatus.ACTIVE)
                .gracePeriod(Duration.ZERO).keyHash(LicenseRecord.keyHashOf("key-" + id)).build();
    }

    @Test
    void two_activations_written_at_once_for_the_last_slot_leave_one_holder_that_both_replicas_agree_on(
            KafkaBroker broker) throws Exception {
        // given two replicas following one machines topic
        Topic<String, MachineRecord> topic = broker.createUnique(Topics.MACHINES);
        MachineRegistry a = replica(broker, topic, "replica-a");
        MachineRegistry b = replica(broker, topic, "replica-b");

        // when each writes an activation for the one slot of the same license, neither having seen the other's
        CompletableFuture<MachineLog.Position> fromA = a.write(MachineRecord.activated(Instant.now(), "a", "lic-1",
                "machine-a", null));
        CompletableFuture<MachineLog.Position> fromB = b.write(MachineRecord.activated(Instant.now(), "b", "lic-1",
                "machine-b", null));
        MachineLog.Position positionA = fromA.get(10, TimeUnit.SECONDS);
        MachineLog.Position positionB = fromB.get(10, TimeUnit.SECONDS);

        // then the row first on the partition holds the slot, on both replicas; the other is over the limit
        assertThat(positionA.partition()).isEqualTo(positionB.partition());
        String first = positionA.offset() < positionB.offset() ? "machine-a" : "machine-b";
        String second = first.equals("machine-a") ? "machine-b" : "machine-a";
        for (MachineRegistry replica : List.of(a, b)) {
            assertThat(replica.awaitApplied(positionA, Duration.ofSeconds(10))).isTrue();
            assertThat(replica.awaitApplied(positionB, Duration.ofSeconds(10))).isTrue();
            assertThat(replica.ledger().active("lic-1", first)).isPresent();
            assertThat(replica.ledger().machine("lic-1", second)).get()
                    .satisfies(m -> assertThat(m.standing()).isEqualTo(MachineLedger.Standing.OVER_LIMIT));
        }
    }

    @Test
    void checks_racing_on_two_replicas_for_one_slot_admit_exactly_one_machine_per_license(KafkaBroker broker)
            throws Exception {
        // given two replicas
        Topic<String, MachineRecord> topic = broker.createUnique(Topics.MACHINES);
        MachineRegistry a = replica(broker, topic, "replica-a");
        MachineRegistry b = replica(broker, topic, "replica-b");
        SharedMachines onA = machines(a, "validator@a");
        SharedMachines onB = machines(b, "validator@b");

        for (int round = 0; round < 20; round++) {
            // when a new machine checks on each replica at the same moment, for a license with one slot
            LicenseRecord license = license("lic-race-" + round);
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<LicenseCheckCode> first = CompletableFuture.supplyAsync(() -> admit(go, onA, license,
                    "machine-a"));
            CompletableFuture<LicenseCheckCode> second = CompletableFuture.supplyAsync(() -> admit(go, onB, license,
                    "machine-b"));
            go.countDown();
            List<LicenseCheckCode> codes = new ArrayList<>();
            codes.add(first.get(10, TimeUnit.SECONDS));
            codes.add(second.get(10, TimeUnit.SECONDS));

            // then exactly one is admitted, the other refused, and both replicas agree which
            assertThat(codes).as("round %d", round).containsExactlyInAnyOrder(null, LicenseCheckCode.TOO_MANY_MACHINES);
            String holder = codes.get(0) == null ? "machine-a" : "machine-b";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                for (MachineRegistry replica : List.of(a, b)) {
                    assertThat(replica.ledger().activeCount(license.licenseId())).isEqualTo(1);
                    assertThat(replica.ledger().active(license.licenseId(), holder)).isPresent();
                    assertThat(replica.ledger().corrections()).isEmpty();
                }
            });
        }
    }

    private static LicenseCheckCode admit(CountDownLatch go, SharedMachines machines, LicenseRecord license,
                                          String machineId) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return machines.admit(license, machineId, ONE_MACHINE, Instant.now());
    }
}
