package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.validator.license.EffectiveTerms;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MachineHealthTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final MachineRecord ACTIVATED = MachineRecord.activated(T0, "test", "lic", "m", null);

    private static EffectiveTerms terms(Duration window, Duration heartbeat) {
        return new EffectiveTerms(2, window, heartbeat, HeartbeatLapse.DEACTIVATE, Duration.ofMinutes(15),
                Duration.ZERO, false, MachineActivation.ON_CHECK, null);
    }

    @Test
    void without_heartbeats_a_machine_lapses_one_window_after_it_was_last_seen() {
        EffectiveTerms terms = terms(Duration.ofHours(1), null);
        MachineRecord checked = ACTIVATED.checked(T0.plusSeconds(600), "test");

        assertThat(MachineHealth.of(checked, terms, T0.plusSeconds(600 + 3599))).isEqualTo(MachineHealth.OK);
        assertThat(MachineHealth.of(checked, terms, T0.plusSeconds(600 + 3600)))
                .isEqualTo(MachineHealth.WINDOW_EXPIRED);
    }

    @Test
    void with_heartbeats_a_machine_that_never_beat_is_not_started_after_one_interval_and_dead_after_the_grace() {
        EffectiveTerms terms = terms(Duration.ofHours(1), Duration.ofMinutes(10));

        assertThat(MachineHealth.of(ACTIVATED, terms, T0.plusSeconds(599))).isEqualTo(MachineHealth.OK);
        assertThat(MachineHealth.of(ACTIVATED, terms, T0.plusSeconds(600))).isEqualTo(MachineHealth.NOT_STARTED);
        assertThat(MachineHealth.of(ACTIVATED, terms, T0.plusSeconds(900))).isEqualTo(MachineHealth.DEAD);
    }

    @Test
    void with_heartbeats_a_late_beat_is_forgiven_for_half_an_interval_and_the_window_does_not_apply() {
        EffectiveTerms terms = terms(Duration.ofSeconds(60), Duration.ofMinutes(10));
        MachineRecord beat = ACTIVATED.heartbeat(T0.plusSeconds(300), "test");

        assertThat(MachineHealth.of(beat, terms, T0.plusSeconds(300 + 899))).isEqualTo(MachineHealth.OK);
        assertThat(MachineHealth.of(beat, terms, T0.plusSeconds(300 + 900))).isEqualTo(MachineHealth.DEAD);
        assertThat(MachineHealth.heartbeatDue(beat, Duration.ofMinutes(10))).isEqualTo(T0.plusSeconds(900));
    }
}
