package io.tlswatch.validator.admin;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class AdminRateLimiterTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void eachTokenHasItsOwnBucketOfATenthOfAMinute() {
        AdminRateLimiter limiter = new AdminRateLimiter(600, now::get);

        for (int i = 0; i < 60; i++) {
            assertThat(limiter.take("a")).isZero();
        }

        assertThat(limiter.take("a")).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100).toNanos());
        assertThat(limiter.take("b")).isZero();
        now.addAndGet(Duration.ofMillis(100).toNanos());
        assertThat(limiter.take("a")).isZero();
    }

    @Test
    void zeroMeansNoLimit() {
        AdminRateLimiter limiter = new AdminRateLimiter(0, now::get);

        for (int i = 0; i < 10_000; i++) {
            assertThat(limiter.take("a")).isZero();
        }
    }
}
