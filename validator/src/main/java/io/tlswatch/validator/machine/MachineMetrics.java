package io.tlswatch.validator.machine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.MachineDeactivation;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/** The {@code tlswatch.machines.*} meters (docs/metrics.md), every tag value registered at start. */
public final class MachineMetrics {

    /** How an activation by this replica ended. */
    public enum Activation {
        /** The row took a slot. */
        ADMITTED,
        /** The ledger showed no free slot: refused without writing. */
        FULL,
        /** The row was written but another replica's took the last slot first (the race). */
        OVER_LIMIT,
        /** The write was not confirmed or not applied in time: admitted without a slot (fail open). */
        TIMEOUT
    }

    private final Map<Activation, Counter> activations = new EnumMap<>(Activation.class);
    private final Map<MachineDeactivation, Counter> deactivations = new EnumMap<>(MachineDeactivation.class);
    private final Map<MachineLedger.Change, Counter> rows = new EnumMap<>(MachineLedger.Change.class);
    private final Counter heartbeats;
    private final Counter checkWrites;
    private final Counter writeFailures;

    public MachineMetrics(MeterRegistry meters, MachineLedger ledger) {
        for (Activation outcome : Activation.values()) {
            activations.put(outcome, Counter.builder("tlswatch.machines.activations")
                    .description("Machine activations attempted by this replica, by outcome")
                    .tag("outcome", tag(outcome)).register(meters));
        }
        for (MachineDeactivation reason : MachineDeactivation.values()) {
            deactivations.put(reason, Counter.builder("tlswatch.machines.deactivations")
                    .description("Deactivation rows written by this replica, by reason")
                    .tag("reason", tag(reason)).register(meters));
        }
        for (MachineLedger.Change change : MachineLedger.Change.values()) {
            rows.put(change, Counter.builder("tlswatch.machines.rows")
                    .description("Rows of tlswatch.machines.v1 folded into the ledger, by what they did")
                    .tag("change", tag(change)).register(meters));
        }
        heartbeats = Counter.builder("tlswatch.machines.heartbeats")
                .description("Heartbeats accepted by this replica").register(meters);
        checkWrites = Counter.builder("tlswatch.machines.check.writes")
                .description("Rows written to record a machine's valid checks (at most one per window/10)")
                .register(meters);
        writeFailures = Counter.builder("tlswatch.machines.write.failures")
                .description("Machine rows whose write was not confirmed by Kafka").register(meters);
        Gauge.builder("tlswatch.machines.active", ledger, MachineLedger::activeTotal)
                .description("Machines holding a slot, over all licenses").register(meters);
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    void activation(Activation outcome) {
        activations.get(outcome).increment();
    }

    void deactivation(MachineDeactivation reason) {
        deactivations.get(reason).increment();
    }

    void row(MachineLedger.Change change) {
        rows.get(change).increment();
    }

    void heartbeat() {
        heartbeats.increment();
    }

    void checkWrite() {
        checkWrites.increment();
    }

    void writeFailed() {
        writeFailures.increment();
    }
}
