package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsMetersTest {

    private static final MeterTags KNOWN = new MeterTags(List.of("handshakes", "license-checks"),
            List.of("attributed", "unknown"), List.of("unsigned"), List.of("client_posture", "license_sharing"));

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void everyKnownTagValueIsExportedAtZeroBeforeAnythingHappens() {
        // given meters for known tag values
        new StreamsMeters(registry, KNOWN);

        // when nothing was recorded yet, then a scrape shows each known series at 0
        assertThat(registry.scrape()).contains(
                "tlswatch_streams_dead_letters_total{input=\"handshakes\"} 0.0",
                "tlswatch_streams_dead_letters_total{input=\"license-checks\"} 0.0",
                "tlswatch_streams_attributions_total{outcome=\"unknown\"} 0.0",
                "tlswatch_streams_reports_unbound_total{reason=\"unsigned\"} 0.0",
                "tlswatch_streams_alerts_total{kind=\"license_sharing\",severity=\"critical\",status=\"resolved\"} 0.0",
                "tlswatch_streams_events_duplicate_total 0.0",
                "tlswatch_streams_events_late_total 0.0");
    }

    @Test
    void alertsAreRegisteredForEveryStatusSeverityAndKnownKind() {
        // given meters for two alert kinds
        new StreamsMeters(registry, KNOWN);

        // then every status and severity of each is there from the start
        assertThat(registry.find("tlswatch.streams.alerts").counters())
                .hasSize(AlertStatus.values().length * Severity.values().length * 2)
                .allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void aRecordingCountsOnTheCounterRegisteredAtStart() {
        // given a dead-letter counter registered at start
        StreamsMeters meters = new StreamsMeters(registry, KNOWN);
        Counter handshakes = registry.get("tlswatch.streams.dead.letters").tag("input", "handshakes").counter();

        // when a record of that input is dead-lettered
        meters.deadLetter("handshakes");

        // then that same counter counts it
        assertThat(handshakes.count()).isEqualTo(1);
        assertThat(registry.find("tlswatch.streams.dead.letters").counters()).hasSize(2);
    }

    @Test
    void aTagValueNotKnownAtStartIsRegisteredAtItsFirstRecording() {
        // given meters that do not know an alert kind
        StreamsMeters meters = new StreamsMeters(registry, KNOWN);

        // when an alert of that kind is emitted
        meters.alert(AlertStatus.FIRING, Severity.WARNING, "fingerprint_outdated");

        // then it is counted under its own tags
        assertThat(registry.get("tlswatch.streams.alerts").tags("status", "firing", "severity", "warning",
                "kind", "fingerprint_outdated").counter().count()).isEqualTo(1);
    }
}
