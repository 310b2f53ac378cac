package io.tlswatch.contract.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void pagerDutysHundredAndTwentyAMinuteAllowsABurstOfTwelveThenOneEveryHalfSecond() {
        long t = 0;
        TokenBucket bucket = TokenBucket.perMinute(120, t);

        for (int i = 0; i < 12; i++) {
            assertThat(bucket.take(1, t)).as("burst " + i).isZero();
        }
        long wait = bucket.take(1, t);
        assertThat(wait).isBetween(TimeUnit.MILLISECONDS.toNanos(499), TimeUnit.MILLISECONDS.toNanos(501));
        assertThat(bucket.take(1, t + wait)).isZero();
        assertThat(bucket.take(1, t + wait)).isPositive();
    }

    @Test
    void overAMinuteNoMoreThanTheRatePlusTheBurstGoThrough() {
        TokenBucket bucket = TokenBucket.perMinute(60, 0);
        int taken = 0;
        for (long t = 0; t <= TimeUnit.SECONDS.toNanos(60); t += TimeUnit.MILLISECONDS.toNanos(10)) {
            if (bucket.take(1, t) == 0) {
                taken++;
            }
        }
        assertThat(taken).isBetween(60, 67);
    }

    @Test
    void zeroAMinuteMeansNoLimit() {
        TokenBucket bucket = TokenBucket.perMinute(0, 0);
        for (int i = 0; i < 10_000; i++) {
            assertThat(bucket.take(1, 0)).isZero();
        }
    }

    @Test
    void aBurstPassesThenTheRateSaysWhenTheNextFits() {
        TokenBucket bucket = new TokenBucket(0.5, 2, 0);

        assertThat(bucket.take(1, 0)).isZero();
        assertThat(bucket.take(1, 0)).isZero();
        assertThat(bucket.take(1, 0)).isEqualTo(2 * SECOND);
        assertThat(bucket.take(1, 2 * SECOND)).isZero();
    }

    @Test
    void aRequestForMoreThanTheBurstPassesWhenTheBucketIsFull() {
        TokenBucket bucket = new TokenBucket(1, 5, 0);

        assertThat(bucket.take(50, 0)).isZero();
        assertThat(bucket.take(50, 0)).isEqualTo(5 * SECOND);
    }

    @Test
    void aBucketWithoutRateOrBurstIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(0, 1, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenBucket(1, 0.5, 0));
        assertThatIllegalArgumentException().isThrownBy(() -> TokenBucket.perMinute(-1, 0));
    }
}
