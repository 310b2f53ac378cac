package io.tlswatch.validator.machine;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.MachineStatus;
import io.tlswatch.validator.license.EffectiveTerms;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class SharedMachinesTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final LicenseRecord LICENSE = LicenseRecord.builder().time(T0).source("test").licenseId("lic-1")
            .customer("Acme").plan("pro").maxMachines(2).notBefore(T0.minusSeconds(60))
            .status(LicenseRecordStatus.ACTIVE).gracePeriod(Duration.ZERO)
            .keyHash(LicenseRecord.keyHashOf("key-1")).build();

    private final MachineLedger ledger = new MachineLedger(id -> 2);
    private final FakeLog log = new FakeLog();
    private final SharedMachines machines = new SharedMachines(ledger, log,
            new MachineMetrics(new SimpleMeterRegistry(), ledger), Duration.ofSeconds(5), "replica-a");

    /** Folds each row at once, like a broker and follower with no delay; can let a rival row in first. */
    private final class FakeLog implements MachineLog {
        final List<MachineRecord> written = new ArrayList<>();
        MachineRecord rival;
        boolean down;
        long offset;

        @Override
        public CompletableFuture<Position> write(MachineRecord row) {
            if (down) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker down"));
            }
            if (rival != null) {
                ledger.apply(rival.key(), rival);
                rival = null;
            }
            written.add(row);
            ledger.apply(row.key(), row);
            return CompletableFuture.completedFuture(new Position(0, offset++));
        }

        @Override
        public boolean awaitApplied(Position position, Duration timeout) {
            return true;
        }
    }

    private static EffectiveTerms terms(MachineActivation activation, Duration heartbeat, HeartbeatLapse lapse) {
        return new EffectiveTerms(2, Duration.ofHours(1), heartbeat, lapse, Duration.ofMinutes(15), Duration.ZERO,
                false, activation, null);
    }

    private static final EffectiveTerms ON_CHECK = terms(MachineActivation.ON_CHECK, null, HeartbeatLapse.DEACTIVATE);

    @Test
    void a_check_activates_new_machines_until_the_slots_are_taken_and_refuses_the_next_without_writing() {
        // when
        LicenseCheckCode a = machines.admit(LICENSE, "a", ON_CHECK, T0);
        LicenseCheckCode b = machines.admit(LICENSE, "b", ON_CHECK, T0);
        LicenseCheckCode c = machines.admit(LICENSE, "c", ON_CHECK, T0);

        // then
        assertThat(a).isNull();
        assertThat(b).isNull();
        assertThat(c).isEqualTo(LicenseCheckCode.TOO_MANY_MACHINES);
        assertThat(log.written).extracting(MachineRecord::machineId).containsExactly("a", "b");
    }

    @Test
    void the_loser_of_a_race_for_the_last_slot_is_refused_and_writes_its_over_limit_row() {
        // given: another replica's activation of "b" lands between this replica's look and its write
        machines.admit(LICENSE, "a", ON_CHECK, T0);
        log.rival = MachineRecord.activated(T0, "replica-b", "lic-1", "b", null);

        // when
        LicenseCheckCode c = machines.admit(LICENSE, "c", ON_CHECK, T0);

        // then
        assertThat(c).isEqualTo(LicenseCheckCode.TOO_MANY_MACHINES);
        assertThat(ledger.active("lic-1", "b")).isPresent();
        assertThat(log.written).last().satisfies(row -> {
            assertThat(row.machineId()).isEqualTo("c");
            assertThat(row.deactivation()).isEqualTo(MachineDeactivation.OVER_LIMIT);
        });
        assertThat(ledger.corrections()).isEmpty();
    }

    @Test
    void an_explicit_policy_refuses_a_machine_not_activated_and_admits_it_once_activated() {
        EffectiveTerms explicit = terms(MachineActivation.EXPLICIT, null, HeartbeatLapse.DEACTIVATE);

        assertThat(machines.admit(LICENSE, "a", explicit, T0)).isEqualTo(LicenseCheckCode.NO_MACHINE);
        assertThat(machines.activateExplicitly(LICENSE, "a", "laptop", explicit, T0)).isNull();
        assertThat(machines.admit(LICENSE, "a", explicit, T0.plusSeconds(1))).isNull();
        assertThat(ledger.active("lic-1", "a")).get().satisfies(row -> assertThat(row.name()).isEqualTo("laptop"));
    }

    @Test
    void a_deactivation_frees_the_slot_and_a_second_one_finds_no_machine() {
        // given
        machines.admit(LICENSE, "a", ON_CHECK, T0);
        machines.admit(LICENSE, "b", ON_CHECK, T0);

        // when
        LicenseCheckCode first = machines.deactivateByClient(LICENSE, "a", T0.plusSeconds(1));
        LicenseCheckCode second = machines.deactivateByClient(LICENSE, "a", T0.plusSeconds(2));

        // then
        assertThat(first).isNull();
        assertThat(second).isEqualTo(LicenseCheckCode.NO_MACHINE);
        assertThat(machines.machine("lic-1", "a")).get()
                .satisfies(row -> assertThat(row.status()).isEqualTo(MachineStatus.DEACTIVATED));
        assertThat(machines.admit(LICENSE, "c", ON_CHECK, T0.plusSeconds(3))).isNull();
    }

    @Test
    void heartbeats_are_refused_for_a_machine_not_active_and_recorded_for_an_active_one() {
        EffectiveTerms beating = terms(MachineActivation.ON_CHECK, Duration.ofMinutes(10), HeartbeatLapse.KEEP);

        assertThat(machines.heartbeat(LICENSE, "a", T0)).isEqualTo(LicenseCheckCode.NO_MACHINE);
        machines.admit(LICENSE, "a", beating, T0);
        assertThat(machines.heartbeat(LICENSE, "a", T0.plusSeconds(60))).isNull();
        assertThat(ledger.active("lic-1", "a")).get()
                .satisfies(row -> assertThat(row.lastHeartbeatAt()).isEqualTo(T0.plusSeconds(60)));
    }

    @Test
    void a_machine_that_never_beat_is_not_started_and_one_whose_beats_stopped_is_dead_when_the_policy_keeps_it() {
        EffectiveTerms keep = terms(MachineActivation.ON_CHECK, Duration.ofMinutes(10), HeartbeatLapse.KEEP);
        machines.admit(LICENSE, "a", keep, T0);

        assertThat(machines.admit(LICENSE, "a", keep, T0.plusSeconds(601)))
                .isEqualTo(LicenseCheckCode.HEARTBEAT_NOT_STARTED);
        machines.heartbeat(LICENSE, "a", T0.plusSeconds(700));
        assertThat(machines.admit(LICENSE, "a", keep, T0.plusSeconds(700 + 901)))
                .isEqualTo(LicenseCheckCode.HEARTBEAT_DEAD);
    }

    @Test
    void a_dead_machine_under_a_deactivating_policy_is_culled_by_its_check_and_activated_as_new() {
        EffectiveTerms cull = terms(MachineActivation.ON_CHECK, Duration.ofMinutes(10), HeartbeatLapse.DEACTIVATE);
        machines.admit(LICENSE, "a", cull, T0);

        LicenseCheckCode code = machines.admit(LICENSE, "a", cull, T0.plusSeconds(901));

        assertThat(code).isNull();
        assertThat(log.written).extracting(MachineRecord::deactivation)
                .containsExactly(null, MachineDeactivation.HEARTBEAT_DEAD, null);
        assertThat(ledger.active("lic-1", "a")).get()
                .satisfies(row -> assertThat(row.activatedAt()).isEqualTo(T0.plusSeconds(901)));
    }

    @Test
    void checks_of_an_active_machine_are_recorded_at_most_once_per_tenth_of_the_window() {
        machines.admit(LICENSE, "a", ON_CHECK, T0);

        machines.admit(LICENSE, "a", ON_CHECK, T0.plusSeconds(359));
        machines.admit(LICENSE, "a", ON_CHECK, T0.plusSeconds(360));
        machines.admit(LICENSE, "a", ON_CHECK, T0.plusSeconds(361));

        assertThat(log.written).extracting(MachineRecord::lastCheckAt).containsExactly(T0, T0.plusSeconds(360));
    }

    @Test
    void an_activation_that_cannot_be_written_is_admitted_without_a_slot() {
        log.down = true;

        assertThat(machines.admit(LICENSE, "a", ON_CHECK, T0)).isNull();
        assertThat(ledger.activeCount("lic-1")).isZero();
    }

    @Test
    void the_culler_deactivates_machines_whose_window_lapsed_once_per_row() {
        machines.admit(LICENSE, "a", ON_CHECK, T0);
        machines.admit(LICENSE, "b", ON_CHECK, T0.plusSeconds(1800));
        Clock later = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);
        MachineCuller culler = new MachineCuller(ledger, id -> java.util.Optional.of(ON_CHECK), machines, later);

        culler.run();

        assertThat(ledger.active("lic-1", "a")).isEmpty();
        assertThat(ledger.active("lic-1", "b")).isPresent();
        assertThat(log.written).last().satisfies(row ->
                assertThat(row.deactivation()).isEqualTo(MachineDeactivation.WINDOW_EXPIRED));
    }

    @Test
    void the_culler_writes_a_correction_only_when_it_is_still_pending_at_its_next_run() {
        machines.admit(LICENSE, "a", ON_CHECK, T0);
        machines.admit(LICENSE, "b", ON_CHECK, T0);
        MachineRecord over = MachineRecord.activated(T0, "replica-b", "lic-1", "c", null);
        ledger.apply(over.key(), over);
        MachineCuller culler = new MachineCuller(ledger, id -> java.util.Optional.of(ON_CHECK), machines,
                Clock.fixed(T0.plusSeconds(10), ZoneOffset.UTC));

        culler.run();
        int afterFirst = log.written.size();
        culler.run();

        assertThat(afterFirst).isEqualTo(2);
        assertThat(log.written).last().satisfies(row -> {
            assertThat(row.machineId()).isEqualTo("c");
            assertThat(row.deactivation()).isEqualTo(MachineDeactivation.OVER_LIMIT);
        });
        assertThat(ledger.corrections()).isEmpty();
    }
}
