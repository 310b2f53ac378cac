package io.tlswatch.validator.api;

import io.tlswatch.contract.testing.MutableClock;
import io.tlswatch.validator.api.OncePerWindow.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OncePerWindowTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    private final MutableClock clock = MutableClock.at("2026-03-14T09:00:00Z");

    @Test
    void aKeyIsLetThroughOncePerWindow() {
        // given
        OncePerWindow<String> limiter = new OncePerWindow<>(WINDOW, 100, clock);

        // when / then: first time through, then held back until a whole window has passed
        assertThat(limiter.tryAcquire("inst-1")).isEqualTo(Outcome.ALLOWED);
        assertThat(limiter.tryAcquire("inst-1")).isEqualTo(Outcome.REPEATED);
        clock.advance(WINDOW.minusMillis(1));
        assertThat(limiter.tryAcquire("inst-1")).isEqualTo(Outcome.REPEATED);
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire("inst-1")).isEqualTo(Outcome.ALLOWED);
        assertThat(limiter.tryAcquire("inst-1")).isEqualTo(Outcome.REPEATED);
    }

    @Test
    void keysAreIndependent() {
        OncePerWindow<String> limiter = new OncePerWindow<>(WINDOW, 100, clock);

        assertThat(limiter.tryAcquire("inst-1")).isEqualTo(Outcome.ALLOWED);
        assertThat(limiter.tryAcquire("inst-2")).isEqualTo(Outcome.ALLOWED);
        assertThat(limiter.tryAcquire("inst-1")).isEqualTo(Outcome.REPEATED);
    }

    @Test
    void aFloodOfKeysIsRefusedBeyondTheCapacityAndMemoryStaysBounded() {
        // given a limiter for three keys, all taken
        OncePerWindow<String> limiter = new OncePerWindow<>(WINDOW, 3, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire("inst-" + i)).isEqualTo(Outcome.ALLOWED);
        }

        // when a flood of new keys arrives
        for (int i = 3; i < 10_000; i++) {
            assertThat(limiter.tryAcquire("inst-" + i)).isEqualTo(Outcome.FULL);
        }

        // then nothing more was remembered, and the keys let through are still held back (not forgotten early)
        assertThat(limiter.size()).isEqualTo(3);
        assertThat(limiter.tryAcquire("inst-0")).isEqualTo(Outcome.REPEATED);
    }

    @Test
    void roomComesBackAsTheOldestKeysAgeOut() {
        // given a full limiter whose first key was let through earlier than the others
        OncePerWindow<String> limiter = new OncePerWindow<>(WINDOW, 2, clock);
        limiter.tryAcquire("early");
        clock.advance(Duration.ofMinutes(5));
        limiter.tryAcquire("late");
        assertThat(limiter.tryAcquire("new")).isEqualTo(Outcome.FULL);

        // when the first one's window ends
        clock.advance(Duration.ofMinutes(5));

        // then a new key takes its place, and the later key is still remembered
        assertThat(limiter.tryAcquire("new")).isEqualTo(Outcome.ALLOWED);
        assertThat(limiter.tryAcquire("late")).isEqualTo(Outcome.REPEATED);
        assertThat(limiter.size()).isEqualTo(2);
    }

    @Test
    void aWindowAndACapacityMustBePositive() {
        assertThatThrownBy(() -> new OncePerWindow<String>(Duration.ZERO, 1, clock))
                .hasMessageContaining("window must be positive");
        assertThatThrownBy(() -> new OncePerWindow<String>(WINDOW, 0, clock))
                .hasMessageContaining("capacity must be at least 1");
    }
}
