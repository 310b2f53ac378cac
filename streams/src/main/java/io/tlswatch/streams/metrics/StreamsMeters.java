package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Severity;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters the topology records into (docs/metrics.md, "streams"). Tags are fixed keys with bounded values:
 * never a client id, address or fingerprint. Every counter is registered at start for the tag values known
 * then ({@link MeterTags}), so a healthy job exports 0 rather than nothing. The meters take plain values and
 * know nothing of the topology, which records into them. Thread-safe: every stream thread records into the
 * same meters.
 */
public final class StreamsMeters {

    /** Why a handshake held for a later attribution was let go unclaimed. */
    public enum PendingEviction {
        /** Older than {@code attribution.window}: no check or report claimed it in time. */
        EXPIRED,
        /** Pushed out by newer ones from the same address ({@code attribution.pendingPerAddress}). */
        ADDRESS_FULL,
        /** Not held at all: the task holds {@code attribution.pendingMax} already. */
        FULL;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final CounterFamily attributions;
    private final CounterFamily deadLetters;
    private final CounterFamily alerts;
    private final CounterFamily unboundReports;
    private final Map<PendingEviction, Counter> pendingEvictions = new EnumMap<>(PendingEviction.class);
    private final AtomicLong pending = new AtomicLong();
    private final Counter replayed;
    private final Counter duplicates;
    private final Counter unboundAttributions;
    private final Counter late;
    private final Timer lag;

    public StreamsMeters(MeterRegistry registry, MeterTags known) {
        this.registry = registry;
        attributions = new CounterFamily("tlswatch.streams.attributions",
                "Events naming no client (failed handshakes, NEL reports), by attribution outcome",
                List.of("outcome"), registry);
        known.attributionOutcomes().forEach(outcome -> attributions.register(List.of(outcome)));
        unboundReports = new CounterFamily("tlswatch.streams.reports.unbound",
                "Reports naming a client with a pinned key, not signed by that key: not counted toward its posture",
                List.of("reason"), registry);
        known.unboundReasons().forEach(reason -> unboundReports.register(List.of(reason)));
        deadLetters = new CounterFamily("tlswatch.streams.dead.letters",
                "Input records that could not be read, sent to the dead-letter topic", List.of("input"), registry);
        known.inputs().forEach(input -> deadLetters.register(List.of(input)));
        alerts = new CounterFamily("tlswatch.streams.alerts", "Alerts emitted, by status, severity and kind",
                List.of("status", "severity", "kind"), registry);
        for (AlertStatus status : AlertStatus.values()) {
            for (Severity severity : Severity.values()) {
                known.alertKinds().forEach(kind -> alerts.register(alertTags(status, severity, kind)));
            }
        }
        unboundAttributions = Counter.builder("tlswatch.streams.attributions.unbound")
                .description("Handshakes and NEL reports attributed to a client through an address that only "
                        + "events not bound to its pinned key tied to it: not counted toward its posture")
                .register(registry);
        for (PendingEviction reason : PendingEviction.values()) {
            pendingEvictions.put(reason, Counter.builder("tlswatch.streams.attributions.pending.evicted")
                    .description("Handshakes held for a later attribution and let go unclaimed, by reason")
                    .tag("reason", reason.tag()).register(registry));
        }
        Gauge.builder("tlswatch.streams.attributions.pending", pending, AtomicLong::get)
                .description("Handshakes this instance holds until a check or report teaches their address")
                .register(registry);
        replayed = Counter.builder("tlswatch.streams.attributions.replayed")
                .description("Held handshakes attributed once a check or report taught their address")
                .register(registry);
        duplicates = Counter.builder("tlswatch.streams.events.duplicate")
                .description("Input events dropped because their id was already seen").register(registry);
        late = Counter.builder("tlswatch.streams.events.late")
                .description("Input events dropped because they arrived later than the grace").register(registry);
        lag = Timer.builder("tlswatch.streams.processing.lag")
                .description("From an event's time to the moment its client's posture was updated")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1)).register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** @param outcome the attribution outcome's tag value: {@code attributed}, {@code ambiguous}, {@code unknown} */
    public void attribution(String outcome) {
        attributions.increment(List.of(outcome), 1);
    }

    /** @param input the input the record came from: {@code handshakes}, {@code license-checks} or {@code client-reports} */
    public void deadLetter(String input) {
        deadLetters.increment(List.of(input), 1);
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void late() {
        late.increment();
    }

    public void alert(AlertStatus status, Severity severity, String kind) {
        alerts.increment(alertTags(status, severity, kind), 1);
    }

    private static List<String> alertTags(AlertStatus status, Severity severity, String kind) {
        return List.of(status.name().toLowerCase(Locale.ROOT), severity.name().toLowerCase(Locale.ROOT), kind);
    }

    /** @param reason why the report does not count: {@code other_key} or {@code unsigned} */
    public void unboundReport(String reason) {
        unboundReports.increment(List.of(reason), 1);
    }

    public void pendingEvicted(PendingEviction reason, int count) {
        if (count > 0) {
            pendingEvictions.get(reason).increment(count);
        }
    }

    /** @param delta the change in held handshakes */
    public void pendingHandshakes(int delta) {
        pending.addAndGet(delta);
    }

    public void replayed() {
        replayed.increment();
    }

    public void unboundAttribution() {
        unboundAttributions.increment();
    }

    public void processingLag(Duration value) {
        if (!value.isNegative()) {
            lag.record(value);
        }
    }
}
