package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.Posture;

import java.time.Duration;
import java.time.Instant;

/**
 * Holds a posture change back until the rules have seen the new posture for a minimum time, so a client
 * that flaps between two postures raises no alert storm: the change is committed (and alerted) only once it
 * has held for {@code minHold}, in both directions.
 */
public final class FlapHold {

    private final Duration minHold;

    public FlapHold(Duration minHold) {
        this.minHold = minHold;
    }

    /** The decision for the posture the rules see now. */
    public Decision decide(ClientState state, Posture seen, Instant now) {
        if (seen == state.posture()) {
            return state.candidate() == null ? Decision.UNCHANGED : Decision.CANCEL;
        }
        Instant since = seen == state.candidate() && state.candidateSince() != null ? state.candidateSince() : now;
        if (!Duration.between(since, now).minus(minHold).isNegative()) {
            return Decision.COMMIT;
        }
        return seen == state.candidate() ? Decision.WAIT : Decision.HOLD;
    }

    public enum Decision {
        /** The rules agree with the committed posture, and nothing is pending. */
        UNCHANGED,
        /** The rules are back to the committed posture: the pending change is dropped. */
        CANCEL,
        /** A new posture is seen: it becomes the candidate, its hold starts now. */
        HOLD,
        /** The candidate is still seen but has not held long enough. */
        WAIT,
        /** The seen posture has held long enough: commit it. */
        COMMIT
    }
}
