package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.Posture;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * The cause a stuck or at-risk client fails on, as one key that every client failing the same way shares, so that
 * the notifier can page a fleet-wide cause once (docs/alerting.md, "Cohorts"):
 *
 * <ul>
 *   <li>{@code error:<class>} when the client's most frequent error is about a certificate or trust (an old trust
 *       store, an expired intermediate): then the server's side is the cause, whatever stack the client runs;</li>
 *   <li>else {@code ja4:<ja4>} when the client was seen with exactly one fingerprint: its stack is the cause;</li>
 *   <li>else {@code error:<class>} for its most frequent error, handshake failure reasons and report error classes
 *       counted together (ties go to the name that sorts first, so the key is stable);</li>
 *   <li>none when the client has no errors at all (at risk for lack of evidence, not for a cause).</li>
 * </ul>
 */
public final class AlertCause {

    public static final String JA4_PREFIX = "ja4:";
    public static final String ERROR_PREFIX = "error:";

    private AlertCause() {
    }

    /** The cause of a stuck or at-risk assessment; {@code null} for any other posture or when there is none. */
    public static String of(Assessment a) {
        if (a.posture() != Posture.STUCK && a.posture() != Posture.AT_RISK) {
            return null;
        }
        Map<String, Long> errors = new HashMap<>(a.failuresByReason());
        a.reportsByErrorClass().forEach((k, v) -> errors.merge(k, v, Long::sum));
        String top = errors.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse(null);
        if (top != null && aboutCertificates(top)) {
            return ERROR_PREFIX + top;
        }
        if (a.ja4s().size() == 1) {
            return JA4_PREFIX + a.ja4s().first();
        }
        return top == null ? null : ERROR_PREFIX + top;
    }

    /** Handshake failure reasons ({@code unknown_ca}, {@code bad_certificate}, ...) and NEL's {@code tls.cert.*}. */
    private static boolean aboutCertificates(String errorClass) {
        return errorClass.equals("unknown_ca") || errorClass.contains("cert");
    }
}
