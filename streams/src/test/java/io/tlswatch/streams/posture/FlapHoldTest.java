package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.Posture;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.tlswatch.streams.TestEvents.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class FlapHoldTest {

    private final FlapHold hold = new FlapHold(Duration.ofMinutes(10));
    private final ClientState healthy = ClientState.first("c", minutes(0));

    @Test
    void theCommittedPostureSeenAgainChangesNothing() {
        assertThat(hold.decide(healthy, Posture.HEALTHY, minutes(1))).isEqualTo(FlapHold.Decision.UNCHANGED);
    }

    @Test
    void aNewPostureStartsBeingHeld() {
        assertThat(hold.decide(healthy, Posture.STUCK, minutes(1))).isEqualTo(FlapHold.Decision.HOLD);
    }

    @Test
    void theCandidateWaitsUntilItHeldForTheMinimum() {
        ClientState pending = healthy.withCandidate(Posture.STUCK, minutes(1));

        assertThat(hold.decide(pending, Posture.STUCK, minutes(10))).isEqualTo(FlapHold.Decision.WAIT);
        assertThat(hold.decide(pending, Posture.STUCK, minutes(11))).isEqualTo(FlapHold.Decision.COMMIT);
    }

    @Test
    void goingBackBeforeTheHoldEndsCancelsTheCandidate() {
        ClientState pending = healthy.withCandidate(Posture.STUCK, minutes(1));

        assertThat(hold.decide(pending, Posture.HEALTHY, minutes(5))).isEqualTo(FlapHold.Decision.CANCEL);
    }

    @Test
    void aDifferentCandidateRestartsTheHold() {
        ClientState pending = healthy.withCandidate(Posture.STUCK, minutes(1));

        assertThat(hold.decide(pending, Posture.DEGRADED, minutes(20))).isEqualTo(FlapHold.Decision.HOLD);
    }

    @Test
    void withoutAHoldEveryChangeCommitsAtOnce() {
        assertThat(new FlapHold(Duration.ZERO).decide(healthy, Posture.STUCK, minutes(1)))
                .isEqualTo(FlapHold.Decision.COMMIT);
    }
}
