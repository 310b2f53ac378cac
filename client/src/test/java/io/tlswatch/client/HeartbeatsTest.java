package io.tlswatch.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When the next heartbeat goes, from what the server's answer said. */
class HeartbeatsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aHeartbeatGoesBetweenFortyAndSixtyPercentOfTheInterval() {
        Machine machine = machine(Duration.ofMinutes(10), NOW.plus(Duration.ofMinutes(10)));

        assertThat(Heartbeats.delay(machine, NOW, 0.0)).isEqualTo(Duration.ofMinutes(4));
        assertThat(Heartbeats.delay(machine, NOW, 0.5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Heartbeats.delay(machine, NOW, 0.999)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(6));
    }

    @Test
    void aDueTimeSoonerThanTheIntervalBringsItForwardToHalfTheTimeLeft() {
        Machine machine = machine(Duration.ofMinutes(10), NOW.plus(Duration.ofMinutes(2)));

        assertThat(Heartbeats.delay(machine, NOW, 0.5)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aHeartbeatAlreadyOverdueGoesAtOnce() {
        Machine machine = machine(Duration.ofMinutes(10), NOW.minusSeconds(5));

        assertThat(Heartbeats.delay(machine, NOW, 0.5)).isZero();
    }

    @Test
    void withNeitherIntervalNorDueTimeNoHeartbeatCanBePlaced() {
        assertThat(Heartbeats.delay(machine(null, null), NOW, 0.5)).isNull();
    }

    @Test
    void anAnswerWithoutHeartbeatsArmsNothing() {
        Heartbeats heartbeats = new Heartbeats(() -> true, java.time.Clock.systemUTC(), Duration.ofMinutes(5));
        try {
            heartbeats.follow(new Machine("inst-1", "active", NOW, null, false, null, null));
            assertThat(heartbeats.armed()).isFalse();

            heartbeats.follow(machine(Duration.ofHours(1), null));
            assertThat(heartbeats.armed()).isTrue();

            heartbeats.follow(new Machine("inst-1", "deactivated", NOW, null, true, Duration.ofHours(1), null));
            assertThat(heartbeats.armed()).as("a deactivated machine beats no more").isFalse();
        } finally {
            heartbeats.close(Duration.ofSeconds(1));
        }
    }

    private static Machine machine(Duration interval, Instant dueAt) {
        return new Machine("inst-1", "active", NOW, null, true, interval, dueAt);
    }
}
