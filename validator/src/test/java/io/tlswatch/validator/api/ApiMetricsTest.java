package io.tlswatch.validator.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.LicenseCheckCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiMetricsTest {

    @Test
    void everyKnownSeriesIsThereAtZeroBeforeTheFirstRequest() {
        // given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // when
        new ApiMetrics(registry);

        // then: dashboards read 0, not "No data", on a validator that has refused nothing yet
        for (String reason : ApiMetrics.REJECTION_REASONS) {
            Counter rejected = registry.find("tlswatch.http.rejected").tag("reason", reason).counter();
            assertThat(rejected).as(reason).isNotNull();
            assertThat(rejected.count()).isZero();
        }
        for (String reason : RefusalReasons.KNOWN) {
            assertThat(registry.find("tlswatch.license.refusals").tag("reason", reason).counter()).as(reason)
                    .isNotNull();
        }
        for (LicenseCheckCode code : LicenseCheckCode.values()) {
            assertThat(registry.find("tlswatch.license.checks").tag("code", code.name()).counter()).isNotNull();
        }
    }

    @Test
    void aRejectionCountsOnItsPreRegisteredSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ApiMetrics metrics = new ApiMetrics(registry);

        metrics.rejected("not_found");

        assertThat(registry.find("tlswatch.http.rejected").tag("reason", "not_found").counter().count()).isEqualTo(1);
        assertThat(registry.find("tlswatch.http.rejected").counters()).hasSize(ApiMetrics.REJECTION_REASONS.size());
    }
}
