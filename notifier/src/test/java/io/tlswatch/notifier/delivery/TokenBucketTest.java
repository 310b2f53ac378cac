package io.tlswatch.notifier.delivery;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    @Test
    void pagerDutysHundredAndTwentyAMinuteAllowsABurstOfTwelveThenOneEveryHalfSecond() {
        long t = 0;
        TokenBucket bucket = new TokenBucket(120, t);

        for (int i = 0; i < 12; i++) {
            assertThat(bucket.take(t)).as("burst " + i).isZero();
        }
        long wait = bucket.take(t);
        assertThat(wait).isBetween(TimeUnit.MILLISECONDS.toNanos(499), TimeUnit.MILLISECONDS.toNanos(501));
        assertThat(bucket.take(t + wait)).isZero();
        assertThat(bucket.take(t + wait)).isPositive();
    }

    @Test
    void overAMinuteNoMoreThanTheRatePlusTheBurstGoThrough() {
        TokenBucket bucket = new TokenBucket(60, 0);
        int taken = 0;
        for (long t = 0; t <= TimeUnit.SECONDS.toNanos(60); t += TimeUnit.MILLISECONDS.toNanos(10)) {
            if (bucket.take(t) == 0) {
                taken++;
            }
        }
        assertThat(taken).isBetween(60, 67);
    }

    @Test
    void zeroMeansNoLimit() {
        TokenBucket bucket = new TokenBucket(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(bucket.take(0)).isZero();
        }
    }
}
