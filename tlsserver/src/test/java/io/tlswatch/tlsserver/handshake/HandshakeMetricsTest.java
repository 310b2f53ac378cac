package io.tlswatch.tlsserver.handshake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.TlsProvider;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeMetricsTest {

    @Test
    void everyFailureReasonAndVersionIsASeriesAtZeroBeforeTheFirstHandshake() {
        // given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        // when
        new HandshakeMetrics(registry, TlsProvider.JDK);

        // then: the failure panels read 0, not "No data", on a listener nobody has failed against yet
        for (FailureReason reason : FailureReason.values()) {
            Counter failures = registry.find("tlswatch.handshakes").tag("outcome", "failure")
                    .tag("reason", reason.name().toLowerCase(Locale.ROOT)).tag("protocol", "none").counter();
            assertThat(failures).as(reason.name()).isNotNull();
            assertThat(failures.count()).isZero();
        }
        for (String version : HandshakeMetrics.VERSIONS) {
            assertThat(registry.find("tlswatch.handshakes").tag("outcome", "success").tag("protocol", version)
                    .counter()).as(version).isNotNull();
            assertThat(registry.find("tlswatch.handshakes.offered").tag("highest_version", version).counter())
                    .as(version).isNotNull();
        }
        assertThat(registry.find("tlswatch.handshake.duration").timers()).hasSize(2);
    }
}
