package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.MachineStatus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Who holds each license's machine slots: the rows of {@code tlswatch.machines.v1} folded per license in offset
 * order (docs/licenses.md, "Machines"). Every replica folds the same rows in the same order (all rows of a license
 * share one partition), so every replica reaches the same standing for every machine. Pure: no I/O, no clock; the
 * fold does not depend on the time it runs at.
 *
 * <p>The rules, for a row of machine {@code m}:
 * <ul>
 *   <li>a {@code null} value forgets {@code m};</li>
 *   <li>a {@code DEACTIVATED} row frees {@code m}'s slot;</li>
 *   <li>an {@code ACTIVE} row of a machine holding a slot updates it (a check, a heartbeat, a re-activation);</li>
 *   <li>an {@code ACTIVE} row continuing an activation that already ended (same {@code activatedAt} as the row that
 *       ended it) is {@link Change#STALE}: a check recorded by one replica while another deactivated the machine
 *       must not bring it back;</li>
 *   <li>any other {@code ACTIVE} row claims a slot: it gets one if fewer than the license's {@code maxMachines}
 *       are active, else it is {@link Change#OVER_LIMIT} and holds none.</li>
 * </ul>
 * A machine whose latest row is {@code ACTIVE} but which holds no slot (over the limit, or stale) {@link
 * #corrections() needs a correction}: a {@code DEACTIVATED} row, written by some replica, so that the topic says
 * what the ledger decided even after compaction has dropped the rows that decided it.
 *
 * <p>A lapsed machine keeps its slot until a {@code DEACTIVATED} row says otherwise ({@link MachineCuller}):
 * deciding lapses in the fold would make it depend on when each replica runs it.
 *
 * <p>Thread-safe: the follower thread folds while request threads ask.
 */
public final class MachineLedger {

    /** What one row did to the ledger. */
    public enum Change {
        ADMITTED, UPDATED, OVER_LIMIT, STALE, DEACTIVATED, FORGOTTEN
    }

    /** Where a machine stands. */
    public enum Standing {
        /** Holds one of the license's slots. */
        ACTIVE,
        /** Claimed a slot when none was free. */
        OVER_LIMIT,
        /** Deactivated: by the client, an operator, the culler, or as over the limit. */
        DEACTIVATED
    }

    /**
     * One machine as the ledger knows it.
     *
     * @param row      the row that decided its standing (for a stale row: the row that ended the activation)
     * @param standing whether it holds a slot
     * @param latestActive whether the latest row of the machine in the topic is {@code ACTIVE} (then a machine
     *                     not {@code ACTIVE} here needs a correcting row)
     */
    public record Machine(MachineRecord row, Standing standing, boolean latestActive) {

        public boolean active() {
            return standing == Standing.ACTIVE;
        }

        public boolean needsCorrection() {
            return latestActive && standing != Standing.ACTIVE;
        }
    }

    private final ToIntFunction<String> maxMachines;
    /** Per license, its machines in the order they were first seen. */
    private final Map<String, LinkedHashMap<String, Machine>> byLicense = new HashMap<>();
    private int active;

    /**
     * @param maxMachines a license's {@code maxMachines} as its terms say when a row is folded;
     *                    {@link Integer#MAX_VALUE} for a license not known (its checks are refused anyway)
     */
    public MachineLedger(ToIntFunction<String> maxMachines) {
        this.maxMachines = Objects.requireNonNull(maxMachines, "maxMachines");
    }

    /**
     * Folds one row.
     *
     * @param key the record key ({@link MachineRecord#keyOf}); for a {@code null} row it names what is forgotten
     * @param row the row, or {@code null} to forget the machine
     */
    public synchronized Change apply(String key, MachineRecord row) {
        Objects.requireNonNull(key, "key");
        if (row == null) {
            int separator = key.indexOf(MachineRecord.KEY_SEPARATOR);
            if (separator < 0) {
                return Change.FORGOTTEN;
            }
            forget(key.substring(0, separator), key.substring(separator + 1));
            return Change.FORGOTTEN;
        }
        LinkedHashMap<String, Machine> machines = byLicense.computeIfAbsent(row.licenseId(), id -> new LinkedHashMap<>());
        Machine current = machines.get(row.machineId());
        if (row.status() == MachineStatus.DEACTIVATED) {
            put(machines, current, new Machine(row, Standing.DEACTIVATED, false));
            return Change.DEACTIVATED;
        }
        if (current != null && current.active()) {
            machines.put(row.machineId(), new Machine(row, Standing.ACTIVE, true));
            return Change.UPDATED;
        }
        if (current != null && current.row().activatedAt().equals(row.activatedAt())) {
            machines.put(row.machineId(), new Machine(current.row(), current.standing(), true));
            return Change.STALE;
        }
        if (activeCount(machines) < maxMachines.applyAsInt(row.licenseId())) {
            put(machines, current, new Machine(row, Standing.ACTIVE, true));
            return Change.ADMITTED;
        }
        put(machines, current, new Machine(row, Standing.OVER_LIMIT, true));
        return Change.OVER_LIMIT;
    }

    private void put(LinkedHashMap<String, Machine> machines, Machine current, Machine next) {
        if (current != null && current.active()) {
            active--;
        }
        if (next.active()) {
            active++;
        }
        machines.put(next.row().machineId(), next);
    }

    private void forget(String licenseId, String machineId) {
        LinkedHashMap<String, Machine> machines = byLicense.get(licenseId);
        if (machines == null) {
            return;
        }
        Machine removed = machines.remove(machineId);
        if (removed != null && removed.active()) {
            active--;
        }
        if (machines.isEmpty()) {
            byLicense.remove(licenseId);
        }
    }

    private static int activeCount(Map<String, Machine> machines) {
        int count = 0;
        for (Machine machine : machines.values()) {
            if (machine.active()) {
                count++;
            }
        }
        return count;
    }

    /** The machine as the ledger knows it, whatever its standing. */
    public synchronized Optional<Machine> machine(String licenseId, String machineId) {
        Map<String, Machine> machines = byLicense.get(licenseId);
        return Optional.ofNullable(machines == null ? null : machines.get(machineId));
    }

    /** The machine if it holds a slot now. */
    public synchronized Optional<MachineRecord> active(String licenseId, String machineId) {
        return machine(licenseId, machineId).filter(Machine::active).map(Machine::row);
    }

    /** How many machines of the license hold a slot. */
    public synchronized int activeCount(String licenseId) {
        Map<String, Machine> machines = byLicense.get(licenseId);
        return machines == null ? 0 : activeCount(machines);
    }

    /** Every machine of the license, whatever its standing, in the order first seen. */
    public synchronized List<Machine> machines(String licenseId) {
        Map<String, Machine> machines = byLicense.get(licenseId);
        return machines == null ? List.of() : List.copyOf(machines.values());
    }

    /** Every machine holding a slot, over all licenses: what the culler looks through. */
    public synchronized List<MachineRecord> allActive() {
        List<MachineRecord> rows = new ArrayList<>(active);
        for (Map<String, Machine> machines : byLicense.values()) {
            for (Machine machine : machines.values()) {
                if (machine.active()) {
                    rows.add(machine.row());
                }
            }
        }
        return rows;
    }

    /** Machines whose latest row is {@code ACTIVE} though they hold no slot: each needs a {@code DEACTIVATED} row. */
    public synchronized List<Machine> corrections() {
        List<Machine> found = new ArrayList<>();
        for (Map<String, Machine> machines : byLicense.values()) {
            for (Machine machine : machines.values()) {
                if (machine.needsCorrection()) {
                    found.add(machine);
                }
            }
        }
        return found;
    }

    /** How many machines hold a slot, over all licenses. */
    public synchronized int activeTotal() {
        return active;
    }
}
