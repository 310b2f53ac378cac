package io.tlswatch.tlsserver.certificate;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshScheduleTest {

    private final RefreshSchedule schedule = new RefreshSchedule(Duration.ofSeconds(10), Duration.ofMinutes(10),
            RandomGenerator.getDefault());
    private final Instant thisUpdate = Instant.parse("2025-03-20T11:40:00Z");

    @Test
    void aResponseIsRefreshedAtHalfItsLifetime() {
        Instant nextUpdate = thisUpdate.plus(Duration.ofDays(7));

        assertThat(schedule.afterResponse(thisUpdate, nextUpdate, thisUpdate.plus(Duration.ofHours(1))))
                .isEqualTo(Duration.ofHours(83));
    }

    @Test
    void aResponseAlreadyPastItsHalfIsRefreshedAfterTheMinimumRetry() {
        Instant nextUpdate = thisUpdate.plus(Duration.ofHours(2));

        assertThat(schedule.afterResponse(thisUpdate, nextUpdate, thisUpdate.plus(Duration.ofMinutes(90))))
                .isEqualTo(Duration.ofSeconds(10));
    }

    @RepeatedTest(20)
    void failuresBackOffExponentiallyWithJitterUpToTheMaximum() {
        assertThat(schedule.afterFailure(1)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(schedule.afterFailure(2)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat(schedule.afterFailure(4)).isBetween(Duration.ofSeconds(40), Duration.ofSeconds(80));
        assertThat(schedule.afterFailure(30)).isBetween(Duration.ofMinutes(5), Duration.ofMinutes(10));
    }
}
