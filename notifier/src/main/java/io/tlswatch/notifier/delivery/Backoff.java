package io.tlswatch.notifier.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter: after the n-th failed attempt the ceiling is {@code initial * 2^(n-1)},
 * capped at {@code max}, and the wait is drawn uniformly from the upper half of it, so that many notifiers
 * that failed together do not retry together, yet no wait is shorter than half the ceiling.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait after {@code failedAttempts} failures (1 after the first). */
    public Duration delay(int failedAttempts) {
        long ceiling = ceilingMillis(failedAttempts);
        long half = ceiling / 2;
        return Duration.ofMillis(half + (ceiling - half == 0 ? 0 : random.nextLong(ceiling - half + 1)));
    }

    long ceilingMillis(int failedAttempts) {
        int shift = Math.max(0, Math.min(failedAttempts - 1, 30));
        long ceiling = initial.toMillis() << shift;
        return Math.min(ceiling < 0 ? Long.MAX_VALUE : ceiling, max.toMillis());
    }
}
