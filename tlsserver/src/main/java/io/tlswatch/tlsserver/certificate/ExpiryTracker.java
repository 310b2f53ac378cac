package io.tlswatch.tlsserver.certificate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which expiry warnings are due for the certificate being served: each days-before-expiry threshold once, and the
 * expiry itself once. A certificate found already past several thresholds (at start-up, or rotated in late) is
 * warned about once, with the smallest threshold it is past. Not thread-safe: the manager's thread owns it.
 */
final class ExpiryTracker {

    private final List<Integer> thresholdsDescending;
    private String serial;
    private Instant notAfter;
    private int lowestWarned;
    private boolean expiredReported;

    ExpiryTracker(List<Integer> thresholdsDescending) {
        this.thresholdsDescending = List.copyOf(thresholdsDescending);
    }

    /** Starts over for a newly served certificate. */
    void track(String serial, Instant notAfter) {
        this.serial = serial;
        this.notAfter = notAfter;
        this.lowestWarned = Integer.MAX_VALUE;
        this.expiredReported = false;
    }

    /** The threshold newly crossed at {@code now}, if any. */
    OptionalInt crossedThreshold(Instant now) {
        if (serial == null || !now.isBefore(notAfter)) {
            return OptionalInt.empty();
        }
        Duration left = Duration.between(now, notAfter);
        OptionalInt crossed = OptionalInt.empty();
        for (int days : thresholdsDescending) {
            if (days < lowestWarned && left.compareTo(Duration.ofDays(days)) <= 0) {
                crossed = OptionalInt.of(days);
            }
        }
        crossed.ifPresent(days -> lowestWarned = days);
        return crossed;
    }

    /** True once, when the certificate's not-after has passed. */
    boolean newlyExpired(Instant now) {
        if (serial == null || expiredReported || now.isBefore(notAfter)) {
            return false;
        }
        expiredReported = true;
        return true;
    }

    Optional<String> serial() {
        return Optional.ofNullable(serial);
    }
}
