package io.tlswatch.notifier.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(42));

    @Test
    void theCeilingDoublesUpToTheMaximum() {
        assertThat(backoff.ceilingMillis(1)).isEqualTo(1_000);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(2_000);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(16_000);
        assertThat(backoff.ceilingMillis(6)).isEqualTo(30_000);
        assertThat(backoff.ceilingMillis(200)).isEqualTo(30_000);
    }

    @Test
    void eachWaitIsDrawnFromTheUpperHalfOfItsCeiling() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            long ceiling = backoff.ceilingMillis(attempt);
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delay(attempt).toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void waitsAreSpreadNotEqual() {
        assertThat(java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.delay(4)).distinct().count())
                .isGreaterThan(10);
    }
}
