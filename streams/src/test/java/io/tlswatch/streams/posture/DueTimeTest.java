package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.config.PostureRulesConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.tlswatch.streams.TestEvents.TLS12_JA4;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class DueTimeTest {

    private static final PostureRulesConfig RULES = PostureRulesConfig.DEFAULTS;
    private static final Duration RETENTION = Duration.ofDays(30);
    private final PostureRules rules = new PostureRules(RULES);

    private static ClientState failing(int count) {
        ClientState s = ClientState.first("c", minutes(0));
        for (int i = 1; i <= count; i++) {
            s = s.observe(Observation.of(failure("a", minutes(i), FailureReason.NO_SHARED_CIPHER, "TLSv1.2",
                    TLS12_JA4)), 100);
        }
        return s;
    }

    @Test
    void aClientWithEvidenceIsDueWhenItsOldestEvidenceLeavesTheWindow() {
        ClientState s = failing(1);

        assertThat(DueTime.next(s, rules.assess(s, minutes(1)), RULES, RETENTION, minutes(1)))
                .isEqualTo(minutes(1).plus(RULES.window()).plusMillis(1));
    }

    @Test
    void aHeldChangeIsDueWhenItsHoldEnds() {
        ClientState s = failing(3).withCandidate(Posture.STUCK, minutes(3));

        assertThat(DueTime.next(s, rules.assess(s, minutes(3)), RULES, RETENTION, minutes(3)))
                .isEqualTo(minutes(3).plus(RULES.minHold()));
    }

    @Test
    void aStuckClientIsDueWhenItsEntitlementEntersTheHorizon() {
        ClientState s = failing(3).validCheck(minutes(0), minutes(15), minutes(0).plus(Duration.ofHours(80)));
        Assessment a = rules.assess(s, minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(DueTime.next(s, a, RULES, RETENTION, minutes(3)))
                .isEqualTo(minutes(0).plus(Duration.ofHours(80)).minus(RULES.atRiskHorizon()));
    }

    @Test
    void aClientWithoutEvidenceIsDueAtTheEndOfItsRetention() {
        ClientState s = ClientState.first("c", minutes(0));

        assertThat(DueTime.next(s, rules.assess(s, minutes(0)), RULES, RETENTION, minutes(0)))
                .isEqualTo(minutes(0).plus(RETENTION));
    }

    @Test
    void theDueTimeIsAlwaysAfterNow() {
        ClientState s = failing(3).withCandidate(Posture.STUCK, minutes(0));

        assertThat(DueTime.next(s, rules.assess(s, minutes(30)), RULES, RETENTION, minutes(30)))
                .isAfter(minutes(30));
    }
}
