package io.tlswatch.collector.dedup;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DedupWindowTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void anIdIsKnownWithinTheWindowAndForgottenAfter() {
        DedupWindow window = new DedupWindow(Duration.ofSeconds(10), 100);
        window.remember("a", 0);
        assertThat(window.contains("a", 9 * SECOND)).isTrue();
        assertThat(window.contains("b", 9 * SECOND)).isFalse();
        assertThat(window.contains("a", 10 * SECOND)).isFalse();
        assertThat(window.size()).isZero();
    }

    @Test
    void theOldestGoFirstWhenFull() {
        DedupWindow window = new DedupWindow(Duration.ofHours(1), 2);
        window.remember("a", 0);
        window.remember("b", 1);
        window.remember("c", 2);
        assertThat(window.contains("a", 3)).isFalse();
        assertThat(window.contains("b", 3)).isTrue();
        assertThat(window.contains("c", 3)).isTrue();
    }

    @Test
    void rememberingAgainRestartsTheWindow() {
        DedupWindow window = new DedupWindow(Duration.ofSeconds(10), 10);
        window.remember("a", 0);
        window.remember("b", 5 * SECOND);
        window.remember("a", 8 * SECOND);
        assertThat(window.contains("a", 16 * SECOND)).isTrue();
        assertThat(window.contains("b", 16 * SECOND)).isFalse();
    }
}
