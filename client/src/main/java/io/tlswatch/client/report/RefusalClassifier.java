package io.tlswatch.client.report;

import java.time.Duration;
import java.time.Instant;

/**
 * Names the cause of a license check refused because of this client (its proof, its clock), for the status and
 * for a report: the collector hears of these as it hears of TLS failures, since they too stop a client from ever
 * validating while its TLS is fine. A proof refusal is put down to the clock when the server's {@code Date} is
 * more than {@link #CLOCK_TOLERANCE} from this client's clock (the validator's DPoP {@code iat} window is 60 s by
 * default); the validator does not say which check failed.
 */
public final class RefusalClassifier {

    public static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(60);

    /**
     * @param code        the validator's code: {@code PROOF_INVALID} or {@code PROOF_REQUIRED}
     * @param detail      its sentence, or {@code null}
     * @param clockOffset this client's clock minus the server's, or {@code null} when the server sent no date
     */
    public Classification refusedProof(String code, String detail, Duration clockOffset) {
        String answer = code + (detail == null ? "" : " (" + detail + ")");
        if (clockOffset != null && clockOffset.abs().compareTo(CLOCK_TOLERANCE) > 0) {
            return new Classification(ErrorClass.LICENSE_CLOCK_SKEW, true, answer + ": this client's clock is "
                    + seconds(clockOffset) + " off the license server's");
        }
        String known = "PROOF_REQUIRED".equals(code) ? ErrorClass.LICENSE_PROOF_REQUIRED
                : ErrorClass.LICENSE_PROOF_INVALID;
        return new Classification(known, true, answer + (clockOffset == null ? ""
                : "; this client's clock is " + seconds(clockOffset) + " off the license server's"));
    }

    /** A fresh token this client refused for its times ({@code expired}, {@code not_yet_valid}). */
    public Classification refusedTokenTimes(String reason, String message, Duration clockOffset) {
        return new Classification(ErrorClass.LICENSE_CLOCK_SKEW, true, "token " + reason + ": " + message
                + "; this client's clock is " + seconds(clockOffset) + " off the token issuer's");
    }

    /**
     * This client's clock minus the server's, from the server's {@code Date} (whole seconds) and the local clock
     * before and after the exchange (its midpoint is the best guess of when the server stamped it).
     */
    public static Duration offset(Instant serverDate, Instant sentAt, Instant receivedAt) {
        Instant midpoint = sentAt.plus(Duration.between(sentAt, receivedAt).dividedBy(2));
        return Duration.between(serverDate, midpoint);
    }

    /** {@code +7200s}, {@code -45s}: the form the posture reasons use. */
    public static String seconds(Duration offset) {
        long s = offset.getSeconds();
        return (s >= 0 ? "+" : "") + s + "s";
    }
}
