package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.validator.license.EffectiveTerms;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Deactivates machines whose window or heartbeats lapsed, and writes the rows the ledger's corrections ask for
 * (docs/licenses.md, "Machines"). Runs on every replica on a schedule ({@code licenses.machineCullInterval}):
 * every replica may write the same row, which is harmless (a deactivation of a deactivated machine changes
 * nothing), so a replica that stops does not stop the culling.
 *
 * <p>A correction is written only when it is still pending on the next run: the replica whose activation lost
 * the race writes its own {@code over_limit} row at once, and the others need not repeat it.
 *
 * <p>Called from one scheduler thread.
 */
public final class MachineCuller implements Runnable {

    private final MachineLedger ledger;
    private final Function<String, Optional<EffectiveTerms>> termsByLicenseId;
    private final SharedMachines machines;
    private final Clock clock;
    /**
     * Ids of rows answered with a deactivation at the previous run: skipped once, as the row is likely on its way,
     * and answered again at the run after if still there (the write failed).
     */
    private Set<String> answered = new HashSet<>();
    /** Ids of the rows needing a correction at the previous run. */
    private Set<String> pendingBefore = new HashSet<>();

    /** @param termsByLicenseId the terms of a license by its id; empty for a license not known (left alone) */
    public MachineCuller(MachineLedger ledger, Function<String, Optional<EffectiveTerms>> termsByLicenseId,
                         SharedMachines machines, Clock clock) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.termsByLicenseId = Objects.requireNonNull(termsByLicenseId, "termsByLicenseId");
        this.machines = Objects.requireNonNull(machines, "machines");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void run() {
        Instant now = clock.instant();
        Set<String> answeredNow = new HashSet<>();
        for (MachineRecord row : ledger.allActive()) {
            Optional<EffectiveTerms> terms = termsByLicenseId.apply(row.licenseId());
            if (terms.isEmpty()) {
                continue;
            }
            MachineDeactivation lapse = lapse(row, terms.get(), now);
            if (lapse != null) {
                if (!answered.contains(row.id())) {
                    answeredNow.add(row.id());
                    machines.deactivate(row, lapse, now);
                }
            }
        }
        Set<String> pendingNow = new HashSet<>();
        for (MachineLedger.Machine machine : ledger.corrections()) {
            MachineRecord row = machine.row();
            pendingNow.add(row.id());
            if (pendingBefore.contains(row.id())) {
                if (!answered.contains(row.id())) {
                    answeredNow.add(row.id());
                    machines.deactivate(row, machine.standing() == MachineLedger.Standing.OVER_LIMIT
                            ? MachineDeactivation.OVER_LIMIT : row.deactivation(), now);
                }
            }
        }
        answered = answeredNow;
        pendingBefore = pendingNow;
    }

    private static MachineDeactivation lapse(MachineRecord row, EffectiveTerms terms, Instant now) {
        return switch (MachineHealth.of(row, terms, now)) {
            case WINDOW_EXPIRED -> MachineDeactivation.WINDOW_EXPIRED;
            case DEAD -> terms.heartbeatLapse() == HeartbeatLapse.DEACTIVATE ? MachineDeactivation.HEARTBEAT_DEAD : null;
            case OK, NOT_STARTED -> null;
        };
    }
}
