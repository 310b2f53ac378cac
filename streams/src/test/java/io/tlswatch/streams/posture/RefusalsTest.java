package io.tlswatch.streams.posture;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalsTest {

    @Test
    void aSkewIsSignedSecondsExactUnderAMinute() {
        assertThat(Refusals.skew(Duration.ofSeconds(42))).isEqualTo("+42s");
        assertThat(Refusals.skew(Duration.ofSeconds(-7))).isEqualTo("-7s");
    }

    @Test
    void aSkewIsRoundedToTenSecondsUnderTenMinutesAndToTheMinuteAbove() {
        assertThat(Refusals.skew(Duration.ofSeconds(304))).isEqualTo("+300s");
        assertThat(Refusals.skew(Duration.ofSeconds(7203))).isEqualTo("+7200s");
        assertThat(Refusals.skew(Duration.ofSeconds(-7189))).isEqualTo("-7200s");
        assertThat(Refusals.skew(Duration.ofMillis(10_799_600))).isEqualTo("+10800s");
    }
}
