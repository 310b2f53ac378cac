package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.streams.attribution.AttributionOutcome;
import io.tlswatch.streams.posture.ReportBinding;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters the topology records into (docs/metrics.md, "streams"). Tags are fixed keys with bounded values:
 * never a client id, address or fingerprint. Thread-safe: every stream thread records into the same meters.
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
    private final Map<AttributionOutcome, Counter> attributions = new EnumMap<>(AttributionOutcome.class);
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
    private final Map<ReportBinding.Unbound, Counter> unboundReports = new EnumMap<>(ReportBinding.Unbound.class);
    private final Map<PendingEviction, Counter> pendingEvictions = new EnumMap<>(PendingEviction.class);
    private final AtomicLong pending = new AtomicLong();
    private final Counter replayed;
    private final Counter duplicates;
    private final Counter unboundAttributions;
    private final Counter late;
    private final Timer lag;

    public StreamsMeters(MeterRegistry registry) {
        this.registry = registry;
        for (AttributionOutcome outcome : AttributionOutcome.values()) {
            attributions.put(outcome, Counter.builder("tlswatch.streams.attributions")
                    .description("Events naming no client (failed handshakes, NEL reports), by attribution outcome")
                    .tag("outcome", outcome.tag()).register(registry));
        }
        for (ReportBinding.Unbound reason : ReportBinding.Unbound.values()) {
            unboundReports.put(reason, Counter.builder("tlswatch.streams.reports.unbound")
                    .description("Reports naming a client with a pinned key, not signed by that key: not counted "
                            + "toward its posture")
                    .tag("reason", reason.tag()).register(registry));
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

    public void attribution(AttributionOutcome outcome) {
        attributions.get(outcome).increment();
    }

    /** @param input the input the record came from: {@code handshakes}, {@code license_checks} or {@code client_reports} */
    public void deadLetter(String input) {
        deadLetters.computeIfAbsent(input, i -> Counter.builder("tlswatch.streams.dead.letters")
                .description("Input records that could not be read, sent to the dead-letter topic")
                .tag("input", i).register(registry)).increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void late() {
        late.increment();
    }

    public void alert(AlertStatus status, Severity severity, String kind) {
        String key = status + "|" + severity + "|" + kind;
        alerts.computeIfAbsent(key, k -> Counter.builder("tlswatch.streams.alerts")
                .description("Alerts emitted, by status, severity and kind")
                .tag("status", status.name().toLowerCase(Locale.ROOT))
                .tag("severity", severity.name().toLowerCase(Locale.ROOT))
                .tag("kind", kind).register(registry)).increment();
    }

    public void unboundReport(ReportBinding.Unbound reason) {
        unboundReports.get(reason).increment();
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
