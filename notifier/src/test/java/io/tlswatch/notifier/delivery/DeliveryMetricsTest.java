package io.tlswatch.notifier.delivery;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.DeliveryOutcome;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryMetricsTest {

    @Test
    void aTargetsCountersAreRegisteredAtZeroForEveryOutcomeAndReason() {
        // given
        SimpleMeterRegistry meters = new SimpleMeterRegistry();

        // when
        new DeliveryMetrics(meters, "oncall", "pagerduty", () -> 0, 100);

        // then
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            assertThat(meters.get("tlswatch.notifier.attempts").tags("target", "oncall", "kind", "pagerduty",
                    "outcome", outcome.name().toLowerCase(Locale.ROOT)).counter().count()).as(outcome.name()).isZero();
        }
        for (DeliveryMetrics.Result result : DeliveryMetrics.Result.values()) {
            assertThat(meters.get("tlswatch.notifier.deliveries").tags("target", "oncall", "outcome", result.tag())
                    .counter().count()).as(result.name()).isZero();
        }
        for (String reason : new String[]{"rejected", "attempts_exhausted"}) {
            assertThat(meters.get("tlswatch.notifier.dead.letters").tags("target", "oncall", "reason", reason)
                    .counter().count()).as(reason).isZero();
        }
        assertThat(meters.get("tlswatch.notifier.retries").tag("target", "oncall").counter().count()).isZero();
    }
}
