package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.validator.machine.MachineLedger;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link MachineDirectory} over the replica's machine ledger: the machines as every replica decides them. A machine
 * whose activation lost the race for a license's last slot is left out until its {@code over_limit} row is
 * written (a moment later): it never held a slot, and listing it as active would say it did.
 */
public final class LedgerMachineDirectory implements MachineDirectory {

    private final MachineLedger ledger;

    public LedgerMachineDirectory(MachineLedger ledger) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    @Override
    public List<MachineRecord> list(String licenseId) {
        return ledger.machines(licenseId).stream()
                .filter(LedgerMachineDirectory::decided)
                .map(MachineLedger.Machine::row)
                .sorted(Comparator.comparing(MachineRecord::machineId))
                .toList();
    }

    @Override
    public Optional<MachineRecord> get(String licenseId, String machineId) {
        return ledger.machine(licenseId, machineId).filter(LedgerMachineDirectory::decided)
                .map(MachineLedger.Machine::row);
    }

    private static boolean decided(MachineLedger.Machine machine) {
        return machine.standing() != MachineLedger.Standing.OVER_LIMIT;
    }
}
