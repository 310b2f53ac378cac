package io.tlswatch.tlsserver.certificate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiryTrackerTest {

    private final Instant notAfter = Instant.parse("2025-06-12T05:00:00Z");
    private final ExpiryTracker tracker = new ExpiryTracker(List.of(30, 14, 7, 1));

    @Test
    void eachThresholdIsReportedOnceAsItIsCrossed() {
        tracker.track("1f", notAfter);

        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(31)))).isEmpty();
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(30)))).hasValue(30);
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(29)))).isEmpty();
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(14)))).hasValue(14);
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(6)))).hasValue(7);
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofHours(23)))).hasValue(1);
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofHours(1)))).isEmpty();
    }

    @Test
    void aCertificateFoundPastSeveralThresholdsIsReportedOnceWithTheSmallest() {
        tracker.track("1f", notAfter);

        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(5)))).hasValue(7);
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(4)))).isEmpty();
    }

    @Test
    void expiryIsReportedOnceAndNoThresholdAfterIt() {
        tracker.track("1f", notAfter);

        assertThat(tracker.newlyExpired(notAfter.minusSeconds(1))).isFalse();
        assertThat(tracker.newlyExpired(notAfter)).isTrue();
        assertThat(tracker.newlyExpired(notAfter.plusSeconds(60))).isFalse();
        assertThat(tracker.crossedThreshold(notAfter.plusSeconds(60))).isEmpty();
    }

    @Test
    void aNewCertificateStartsOver() {
        tracker.track("1f", notAfter);
        assertThat(tracker.crossedThreshold(notAfter.minus(Duration.ofDays(2)))).hasValue(7);

        Instant later = notAfter.plus(Duration.ofDays(90));
        tracker.track("2a", later);

        assertThat(tracker.crossedThreshold(later.minus(Duration.ofDays(30)))).hasValue(30);
    }
}
