package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MachineLedgerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final MachineLedger ledger = new MachineLedger(id -> Map.of("lic-2", 2, "lic-1", 1)
            .getOrDefault(id, Integer.MAX_VALUE));

    private static MachineRecord activation(String license, String machine, int second) {
        return MachineRecord.activated(T0.plusSeconds(second), "test", license, machine, null);
    }

    private MachineLedger.Change apply(MachineRecord row) {
        return ledger.apply(row.key(), row);
    }

    @Test
    void the_first_activations_up_to_max_machines_take_the_slots_and_later_ones_are_over_the_limit() {
        // given / when
        MachineLedger.Change a = apply(activation("lic-2", "a", 0));
        MachineLedger.Change b = apply(activation("lic-2", "b", 1));
        MachineLedger.Change c = apply(activation("lic-2", "c", 2));

        // then
        assertThat(a).isEqualTo(MachineLedger.Change.ADMITTED);
        assertThat(b).isEqualTo(MachineLedger.Change.ADMITTED);
        assertThat(c).isEqualTo(MachineLedger.Change.OVER_LIMIT);
        assertThat(ledger.activeCount("lic-2")).isEqualTo(2);
        assertThat(ledger.active("lic-2", "c")).isEmpty();
        assertThat(ledger.corrections()).extracting(m -> m.row().machineId()).containsExactly("c");
    }

    @Test
    void offset_order_decides_a_race_for_the_last_slot_whatever_the_row_times_say() {
        // given: b's row was written later by its clock but reached the topic first
        apply(activation("lic-1", "b", 5));

        // when
        MachineLedger.Change a = apply(activation("lic-1", "a", 0));

        // then
        assertThat(a).isEqualTo(MachineLedger.Change.OVER_LIMIT);
        assertThat(ledger.active("lic-1", "b")).isPresent();
    }

    @Test
    void a_deactivation_frees_the_slot_for_the_next_activation() {
        // given
        MachineRecord a = activation("lic-1", "a", 0);
        apply(a);
        apply(activation("lic-1", "b", 1));

        // when
        apply(a.deactivated(T0.plusSeconds(2), "test", MachineDeactivation.CLIENT, null, null));
        MachineLedger.Change b = apply(activation("lic-1", "b", 3));

        // then
        assertThat(b).isEqualTo(MachineLedger.Change.ADMITTED);
        assertThat(ledger.active("lic-1", "a")).isEmpty();
        assertThat(ledger.activeTotal()).isEqualTo(1);
    }

    @Test
    void a_check_recorded_after_the_machine_was_deactivated_does_not_bring_it_back() {
        // given
        MachineRecord a = activation("lic-1", "a", 0);
        apply(a);
        apply(a.deactivated(T0.plusSeconds(2), "test", MachineDeactivation.OPERATOR, "ops", "stolen"));

        // when
        MachineLedger.Change late = apply(a.checked(T0.plusSeconds(1), "other-replica"));

        // then
        assertThat(late).isEqualTo(MachineLedger.Change.STALE);
        assertThat(ledger.active("lic-1", "a")).isEmpty();
        assertThat(ledger.corrections()).singleElement()
                .satisfies(m -> assertThat(m.row().deactivation()).isEqualTo(MachineDeactivation.OPERATOR));
    }

    @Test
    void checks_and_heartbeats_of_an_active_machine_update_it_without_taking_another_slot() {
        // given
        MachineRecord a = activation("lic-1", "a", 0);
        apply(a);

        // when
        MachineLedger.Change checked = apply(a.checked(T0.plusSeconds(5), "test"));
        MachineLedger.Change beat = apply(a.heartbeat(T0.plusSeconds(6), "test"));

        // then
        assertThat(checked).isEqualTo(MachineLedger.Change.UPDATED);
        assertThat(beat).isEqualTo(MachineLedger.Change.UPDATED);
        assertThat(ledger.active("lic-1", "a")).get()
                .satisfies(row -> assertThat(row.lastHeartbeatAt()).isEqualTo(T0.plusSeconds(6)));
        assertThat(ledger.activeCount("lic-1")).isEqualTo(1);
    }

    @Test
    void a_correcting_deactivation_of_an_over_limit_machine_clears_the_correction() {
        // given
        apply(activation("lic-1", "a", 0));
        MachineRecord b = activation("lic-1", "b", 1);
        apply(b);

        // when
        apply(b.deactivated(T0.plusSeconds(2), "test", MachineDeactivation.OVER_LIMIT, null, null));

        // then
        assertThat(ledger.corrections()).isEmpty();
        assertThat(ledger.machine("lic-1", "b")).get()
                .satisfies(m -> assertThat(m.standing()).isEqualTo(MachineLedger.Standing.DEACTIVATED));
    }

    @Test
    void a_tombstone_forgets_the_machine_and_its_slot() {
        // given
        MachineRecord a = activation("lic-1", "a", 0);
        apply(a);

        // when
        MachineLedger.Change change = ledger.apply(a.key(), null);

        // then
        assertThat(change).isEqualTo(MachineLedger.Change.FORGOTTEN);
        assertThat(ledger.machine("lic-1", "a")).isEmpty();
        assertThat(ledger.activeTotal()).isZero();
        assertThat(apply(activation("lic-1", "b", 1))).isEqualTo(MachineLedger.Change.ADMITTED);
    }

    @Test
    void licenses_count_their_slots_separately() {
        // when
        apply(activation("lic-1", "a", 0));
        MachineLedger.Change other = apply(activation("lic-2", "a", 1));

        // then
        assertThat(other).isEqualTo(MachineLedger.Change.ADMITTED);
        assertThat(ledger.allActive()).hasSize(2);
    }
}
