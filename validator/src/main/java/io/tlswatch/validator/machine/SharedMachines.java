package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.validator.license.EffectiveTerms;
import io.tlswatch.validator.license.MachineGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The machine step of every replica, against the machines all replicas share (docs/licenses.md, "Machines"):
 * the {@link MachineLedger} answers, and every change is a row written to {@link MachineLog} and judged by the
 * ledger once folded, never decided here alone.
 *
 * <p>An activation writes an {@code ACTIVE} row, waits until this replica has folded it (at most
 * {@code activationTimeout}), and reads the ledger's verdict: the row holds a slot, or another replica's row took
 * the last one first and this one is over the limit ({@code TOO_MANY_MACHINES}, and this replica writes the
 * {@code over_limit} row). If the write is not confirmed or not folded in time (Kafka unreachable), the check is
 * admitted without a slot: the machine limit is a commercial control, and like the offline grace it errs towards
 * letting customers work; the row, if it lands later, is judged like any other.
 *
 * <p>Runs on the validator's worker threads, never an event loop: the wait blocks.
 */
public final class SharedMachines implements MachineGate {

    private static final Logger log = LoggerFactory.getLogger(SharedMachines.class);
    /** A machine's valid checks are recorded at most once per this fraction of its window. */
    private static final int CHECK_WRITES_PER_WINDOW = 10;

    private final MachineLedger ledger;
    private final MachineLog machineLog;
    private final MachineMetrics metrics;
    private final Duration activationTimeout;
    private final String source;
    /** Keys of machines whose check row is being written: one write at a time per machine. */
    private final Set<String> checkWrites = ConcurrentHashMap.newKeySet();

    /**
     * @param activationTimeout how long an activation waits for its row to be confirmed and folded
     * @param source            the {@code source} of the rows this replica writes
     */
    public SharedMachines(MachineLedger ledger, MachineLog machineLog, MachineMetrics metrics,
                          Duration activationTimeout, String source) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.machineLog = Objects.requireNonNull(machineLog, "machineLog");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.activationTimeout = Objects.requireNonNull(activationTimeout, "activationTimeout");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The machine step of a check: an active machine is admitted, a new one activated if the policy says so. */
    @Override
    public LicenseCheckCode admit(LicenseRecord license, String clientId, EffectiveTerms terms, Instant now) {
        Optional<MachineRecord> active = ledger.active(license.licenseId(), clientId);
        if (active.isPresent()) {
            MachineRecord row = active.get();
            MachineHealth health = MachineHealth.of(row, terms, now);
            if (health == MachineHealth.DEAD && terms.heartbeatLapse() == HeartbeatLapse.DEACTIVATE) {
                // Culled late (the culler runs on a schedule): do it now, and treat the machine as new.
                deactivate(row, MachineDeactivation.HEARTBEAT_DEAD, now);
            } else {
                LicenseCheckCode lapse = heartbeatRefusal(row, health);
                if (lapse == null) {
                    recordCheck(row, terms, now);
                }
                return lapse;
            }
        }
        if (terms.activation() == MachineActivation.EXPLICIT) {
            return LicenseCheckCode.NO_MACHINE;
        }
        return activate(license, clientId, null, terms, now);
    }

    /**
     * An explicit activation ({@code POST /v1/machines/activate}). An active machine whose heartbeats lapsed is
     * activated afresh (its heartbeat clock restarts) without giving up its slot.
     */
    public LicenseCheckCode activateExplicitly(LicenseRecord license, String clientId, String name,
                                               EffectiveTerms terms, Instant now) {
        Optional<MachineRecord> active = ledger.active(license.licenseId(), clientId);
        if (active.isPresent() && MachineHealth.of(active.get(), terms, now) != MachineHealth.OK
                && terms.heartbeatsRequired()) {
            return activate(license, clientId, name, terms, now);
        }
        if (active.isPresent()) {
            recordCheck(active.get(), terms, now);
            return null;
        }
        return activate(license, clientId, name, terms, now);
    }

    /** A heartbeat: recorded for an active machine, else {@code NO_MACHINE}. */
    public LicenseCheckCode heartbeat(LicenseRecord license, String clientId, Instant now) {
        Optional<MachineRecord> active = ledger.active(license.licenseId(), clientId);
        if (active.isEmpty()) {
            return LicenseCheckCode.NO_MACHINE;
        }
        await(active.get().heartbeat(now, source), "heartbeat");
        metrics.heartbeat();
        return null;
    }

    /** A deactivation by the client (uninstall): frees the slot, else {@code NO_MACHINE}. */
    public LicenseCheckCode deactivateByClient(LicenseRecord license, String clientId, Instant now) {
        Optional<MachineRecord> active = ledger.active(license.licenseId(), clientId);
        if (active.isEmpty()) {
            return LicenseCheckCode.NO_MACHINE;
        }
        MachineRecord row = active.get().deactivated(now, source, MachineDeactivation.CLIENT, null, null);
        metrics.deactivation(MachineDeactivation.CLIENT);
        await(row, "deactivation");
        return null;
    }

    /** The machine as this replica knows it now (any standing), for the answer's {@code machine} object. */
    public Optional<MachineRecord> machine(String licenseId, String clientId) {
        return ledger.machine(licenseId, clientId).map(MachineLedger.Machine::row);
    }

    private static LicenseCheckCode heartbeatRefusal(MachineRecord row, MachineHealth health) {
        if (health == MachineHealth.NOT_STARTED || (health == MachineHealth.DEAD && row.lastHeartbeatAt() == null)) {
            return LicenseCheckCode.HEARTBEAT_NOT_STARTED;
        }
        return health == MachineHealth.DEAD ? LicenseCheckCode.HEARTBEAT_DEAD : null;
    }

    private LicenseCheckCode activate(LicenseRecord license, String clientId, String name, EffectiveTerms terms,
                                      Instant now) {
        boolean reactivation = ledger.active(license.licenseId(), clientId).isPresent();
        // The common refusal needs no write: the race is only between rows written while a slot looked free.
        if (!reactivation && ledger.activeCount(license.licenseId()) >= terms.maxMachines()) {
            metrics.activation(MachineMetrics.Activation.FULL);
            return LicenseCheckCode.TOO_MANY_MACHINES;
        }
        MachineRecord row = MachineRecord.activated(now, source, license.licenseId(), clientId, name);
        if (!await(row, "activation")) {
            metrics.activation(MachineMetrics.Activation.TIMEOUT);
            return null;
        }
        Optional<MachineLedger.Machine> judged = ledger.machine(license.licenseId(), clientId);
        if (judged.isPresent() && judged.get().active()) {
            metrics.activation(MachineMetrics.Activation.ADMITTED);
            return null;
        }
        metrics.activation(MachineMetrics.Activation.OVER_LIMIT);
        log.info("Machine {} of license {} lost the race for the last slot (another replica's activation came "
                + "first)", clientId, license.licenseId());
        if (judged.isPresent() && judged.get().needsCorrection()) {
            deactivate(judged.get().row(), MachineDeactivation.OVER_LIMIT, now);
        }
        return LicenseCheckCode.TOO_MANY_MACHINES;
    }

    /** Records a valid check, at most once per window/10 per machine, without waiting for it. */
    private void recordCheck(MachineRecord row, EffectiveTerms terms, Instant now) {
        Instant last = row.lastCheckAt() == null ? row.activatedAt() : row.lastCheckAt();
        if (last.plus(terms.machineWindow().dividedBy(CHECK_WRITES_PER_WINDOW)).isAfter(now)) {
            return;
        }
        String key = row.key();
        if (!checkWrites.add(key)) {
            return;
        }
        metrics.checkWrite();
        machineLog.write(row.checked(now, source)).whenComplete((position, failure) -> {
            checkWrites.remove(key);
            if (failure != null) {
                metrics.writeFailed();
                log.debug("Could not record a check of machine {}: {}", row.machineId(), failure.toString());
            }
        });
    }

    /** Writes a deactivation row without waiting: the culler's and the race loser's. */
    void deactivate(MachineRecord active, MachineDeactivation why, Instant now) {
        metrics.deactivation(why);
        machineLog.write(active.deactivated(now, source, why, null, null)).whenComplete((position, failure) -> {
            if (failure != null) {
                metrics.writeFailed();
                log.warn("Could not deactivate machine {} of license {} ({}): {}", active.machineId(),
                        active.licenseId(), why, failure.toString());
            }
        });
    }

    /** Writes and waits until this replica has folded the row, within the activation timeout. */
    private boolean await(MachineRecord row, String what) {
        long deadline = System.nanoTime() + activationTimeout.toNanos();
        try {
            MachineLog.Position position = machineLog.write(row).get(activationTimeout.toNanos(), TimeUnit.NANOSECONDS);
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (machineLog.awaitApplied(position, left)) {
                return true;
            }
            log.warn("The {} row of machine {} (license {}) was written but not read back within {}", what,
                    row.machineId(), row.licenseId(), activationTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            metrics.writeFailed();
            log.warn("The {} row of machine {} (license {}) was not confirmed within {}: {}", what, row.machineId(),
                    row.licenseId(), activationTimeout, e.toString());
        }
        return false;
    }
}
