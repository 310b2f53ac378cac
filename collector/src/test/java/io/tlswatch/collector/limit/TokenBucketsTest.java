package io.tlswatch.collector.limit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstPassesThenTheRateAndRetryAfterSaysWhenTheNextFits() {
        TokenBuckets buckets = new TokenBuckets(0.5, 2, 10);
        assertThat(buckets.tryTake("a", 1, 0)).isZero();
        assertThat(buckets.tryTake("a", 1, 0)).isZero();
        assertThat(buckets.tryTake("a", 1, 0)).isEqualTo(2);
        assertThat(buckets.tryTake("a", 1, 2 * SECOND)).isZero();
        assertThat(buckets.tryTake("b", 2, 0)).as("keys are independent").isZero();
    }

    @Test
    void aRequestForMoreThanTheBurstPassesWhenTheBucketIsFull() {
        TokenBuckets buckets = new TokenBuckets(1, 5, 10);
        assertThat(buckets.tryTake("a", 50, 0)).isZero();
        assertThat(buckets.tryTake("a", 50, 0)).isEqualTo(5);
    }

    @Test
    void atMostMaxKeysAreKept() {
        TokenBuckets buckets = new TokenBuckets(1, 1, 2);
        buckets.tryTake("a", 1, 0);
        buckets.tryTake("b", 1, 0);
        buckets.tryTake("c", 1, 0);
        assertThat(buckets.size()).isEqualTo(2);
        assertThat(buckets.tryTake("a", 1, 0)).as("forgotten, so full again").isZero();
    }
}
