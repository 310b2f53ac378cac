package io.tlswatch.notifier.config;

import java.time.Duration;

/**
 * How deliveries are retried: exponential backoff from {@code initialBackoff}, doubling up to {@code maxBackoff},
 * each wait drawn at random from its upper half (jitter), and a {@code Retry-After} honoured up to
 * {@code maxRetryAfter}.
 */
public record DeliverySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public DeliverySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("delivery.maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("delivery.initialBackoff must be more than zero");
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("delivery.maxBackoff must not be less than delivery.initialBackoff");
        }
    }
}
