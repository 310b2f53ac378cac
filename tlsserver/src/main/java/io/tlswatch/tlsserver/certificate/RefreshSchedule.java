package io.tlswatch.tlsserver.certificate;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to ask the OCSP responder again: at half a response's lifetime (well before {@code nextUpdate}, so that a
 * responder down for a while costs nothing), and after a failure with exponential backoff and jitter, so that
 * replicas do not all retry in step.
 */
final class RefreshSchedule {

    private final Duration retryMin;
    private final Duration retryMax;
    private final RandomGenerator random;

    RefreshSchedule(Duration retryMin, Duration retryMax, RandomGenerator random) {
        this.retryMin = Objects.requireNonNull(retryMin, "retryMin");
        this.retryMax = Objects.requireNonNull(retryMax, "retryMax");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** After a response with this window: half its lifetime from {@code thisUpdate}, never sooner than retryMin. */
    Duration afterResponse(Instant thisUpdate, Instant nextUpdate, Instant now) {
        Instant half = thisUpdate.plus(Duration.between(thisUpdate, nextUpdate).dividedBy(2));
        Duration delay = Duration.between(now, half);
        return delay.compareTo(retryMin) < 0 ? retryMin : delay;
    }

    /**
     * After the {@code failures}-th failure in a row (1 for the first): retryMin doubled per further failure, at
     * most retryMax, then a random point in its upper half.
     */
    Duration afterFailure(int failures) {
        Duration base = retryMin;
        for (int i = 1; i < failures && base.compareTo(retryMax) < 0; i++) {
            base = base.multipliedBy(2);
        }
        if (base.compareTo(retryMax) > 0) {
            base = retryMax;
        }
        long half = base.toMillis() / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(half + 1)));
    }
}
