package io.tlswatch.notifier.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tlswatch.contract.event.DeadLetterReason;
import io.tlswatch.contract.event.DeliveryOutcome;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The meters of one target (docs/metrics.md, "Notifier"). Every series is registered at start, so each starts
 * at 0 and alert expressions need no {@code or vector(0)}. Tags: {@code target} (a configured name) and
 * {@code kind} (the target's kind), both bounded by the configuration.
 */
public final class DeliveryMetrics {

    /** How a delivery to one target ended. */
    public enum Result {
        DELIVERED, DEAD_LETTERED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<DeliveryOutcome, Counter> attempts = new EnumMap<>(DeliveryOutcome.class);
    private final Map<Result, Counter> deliveries = new EnumMap<>(Result.class);
    private final Map<Result, Timer> durations = new EnumMap<>(Result.class);
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Counter retries;

    public DeliveryMetrics(MeterRegistry meters, String target, String kind, Supplier<Number> depth, int capacity) {
        for (DeliveryOutcome outcome : DeliveryOutcome.values()) {
            attempts.put(outcome, Counter.builder("tlswatch.notifier.attempts")
                    .description("Requests sent to a target, by how they ended")
                    .tag("target", target).tag("kind", kind).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(meters));
        }
        for (Result result : Result.values()) {
            deliveries.put(result, Counter.builder("tlswatch.notifier.deliveries")
                    .description("Alerts a target took (delivered) or that were given up for it (dead_lettered)")
                    .tag("target", target).tag("kind", kind).tag("outcome", result.tag()).register(meters));
            durations.put(result, Timer.builder("tlswatch.notifier.delivery.duration")
                    .description("From an alert's hand-over to the target's queue to its final outcome")
                    .tag("target", target).tag("kind", kind).tag("outcome", result.tag())
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(30)).register(meters));
        }
        for (DeadLetterReason reason : new DeadLetterReason[]{DeadLetterReason.REJECTED, DeadLetterReason.ATTEMPTS_EXHAUSTED}) {
            deadLetters.put(reason, Counter.builder("tlswatch.notifier.dead.letters")
                    .description("Alerts written to tlswatch.alerts.dlq.v1, by why")
                    .tag("target", target).tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(meters));
        }
        retries = Counter.builder("tlswatch.notifier.retries").description("Attempts scheduled again after a transient failure")
                .tag("target", target).tag("kind", kind).register(meters);
        Gauge.builder("tlswatch.notifier.queue.depth", depth).description("Alerts waiting for or in delivery to a target")
                .tag("target", target).tag("kind", kind).register(meters);
        Gauge.builder("tlswatch.notifier.queue.capacity", () -> capacity)
                .description("The queue's bound (target.<name>.queueCapacity); at it, reading new alerts pauses")
                .tag("target", target).tag("kind", kind).register(meters);
    }

    void attempt(DeliveryOutcome outcome) {
        attempts.get(outcome).increment();
    }

    void retry() {
        retries.increment();
    }

    void finished(Result result, long nanos) {
        deliveries.get(result).increment();
        durations.get(result).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void deadLettered(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }
}
