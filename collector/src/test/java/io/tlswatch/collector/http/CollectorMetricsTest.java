package io.tlswatch.collector.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorMetricsTest {

    @Test
    void everyRefusalIsASeriesAtZeroBeforeTheFirstRequest() {
        // given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // when
        new CollectorMetrics(registry);

        // then: an error-ratio panel reads 0, not "No data", on a collector that has refused nothing yet
        for (String format : List.of(CollectorMetrics.NATIVE, CollectorMetrics.NEL)) {
            for (String outcome : CollectorMetrics.REFUSALS) {
                assertAtZero(registry, format, outcome);
            }
            assertAtZero(registry, format, "accepted");
            assertAtZero(registry, format, "duplicate");
        }
        for (String outcome : CollectorMetrics.REFUSALS_BEFORE_ENDPOINT) {
            assertAtZero(registry, CollectorMetrics.NONE, outcome);
        }
        assertThat(registry.find("tlswatch.collector.ratelimit.hits").counters()).hasSize(2);
    }

    @Test
    void aRefusalCountsOnItsPreRegisteredSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CollectorMetrics metrics = new CollectorMetrics(registry);
        int series = registry.find("tlswatch.collector.reports").counters().size();

        metrics.refused(CollectorMetrics.NATIVE, "rate_limited");

        assertThat(registry.find("tlswatch.collector.reports").tag("format", CollectorMetrics.NATIVE)
                .tag("outcome", "rate_limited").counter().count()).isEqualTo(1);
        assertThat(registry.find("tlswatch.collector.reports").counters()).hasSize(series);
    }

    private static void assertAtZero(SimpleMeterRegistry registry, String format, String outcome) {
        Counter counter = registry.find("tlswatch.collector.reports").tag("format", format).tag("outcome", outcome)
                .counter();
        assertThat(counter).as(format + " " + outcome).isNotNull();
        assertThat(counter.count()).isZero();
    }
}
