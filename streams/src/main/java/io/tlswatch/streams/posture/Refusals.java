package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.ErrorClass;

import java.time.Duration;
import java.util.Set;

/**
 * Whose side the cause of a refused license check is on, from its code, its {@code refusal} and the DPoP proof's
 * clock offset (the table of docs/events.md), and likewise for the client's own reports of a refusal. Only a
 * cause on the client's side counts against its posture: a license that expired or was revoked is the vendor's
 * business and visible to it already, a full replay cache is the validator's.
 */
public final class Refusals {

    /** The client's clock is off: the proof's {@code iat} (or a token's dates) outside the validator's window. */
    private static final Set<String> CLOCK = Set.of("iat_out_of_window", "token_not_yet_valid", "token_expired");
    /** Refusals of the validator's own making, whatever the code says. */
    private static final Set<String> SERVER = Set.of("replay_cache_full");

    private Refusals() {
    }

    /** What a refusal says about the client. */
    public enum Cause {
        /** Not the client's doing, or not a refusal at all. */
        NONE,
        /** Its clock: {@code clock_skew}. */
        CLOCK,
        /** Its proof of possession did not verify: {@code proof_invalid}. */
        PROOF_INVALID,
        /** It presented no proof where one is required: {@code proof_required}. */
        PROOF_REQUIRED
    }

    /**
     * @param maxClockSkew a proof refused for another reason but this far off still points at the clock
     */
    public static Cause of(Observation o, Duration maxClockSkew) {
        if (o.kind() == ObservationKind.REPORT) {
            // license.proof_required is not the client's doing: the SDK always sends a proof, something between
            // dropped it.
            ErrorClass reported = ErrorClass.fromWire(o.detail()).orElse(null);
            return reported == ErrorClass.LICENSE_CLOCK_SKEW ? Cause.CLOCK
                    : reported == ErrorClass.LICENSE_PROOF_INVALID ? Cause.PROOF_INVALID : Cause.NONE;
        }
        if (o.kind() != ObservationKind.CHECK || o.detail() == null) {
            return Cause.NONE;
        }
        String refusal = o.refusal();
        if (refusal != null && CLOCK.contains(refusal)) {
            return Cause.CLOCK;
        }
        if (refusal != null && SERVER.contains(refusal)) {
            return Cause.NONE;
        }
        return switch (o.detail()) {
            case "PROOF_INVALID" -> skewed(o, maxClockSkew) ? Cause.CLOCK : Cause.PROOF_INVALID;
            case "PROOF_REQUIRED" -> Cause.PROOF_REQUIRED;
            default -> Cause.NONE;
        };
    }

    private static boolean skewed(Observation o, Duration maxClockSkew) {
        return o.clockSkew() != null && o.clockSkew().abs().compareTo(maxClockSkew) > 0;
    }

    /**
     * A clock offset as a reason detail: signed whole seconds, exact under a minute, rounded to 10 s under ten
     * minutes and to the minute above, so that the network's jitter between two proofs does not change the reason.
     */
    public static String skew(Duration offset) {
        long seconds = Math.round(offset.toMillis() / 1000.0);
        long step = Math.abs(seconds) < 60 ? 1 : Math.abs(seconds) < 600 ? 10 : 60;
        long rounded = Math.round((double) seconds / step) * step;
        return (rounded >= 0 ? "+" : "") + rounded + "s";
    }
}
