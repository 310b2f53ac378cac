package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.MachineRecord;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@link MachineDirectory} over the machines table as it is: every machine's latest row. A row of an activation
 * that lost the race for a license's last slot shows as active until the replica that noticed writes its
 * {@code over_limit} row, a moment later.
 */
public final class TableMachineDirectory implements MachineDirectory {

    private final TableReads<MachineRecord> table;

    public TableMachineDirectory(TableReads<MachineRecord> table) {
        this.table = table;
    }

    @Override
    public List<MachineRecord> list(String licenseId) {
        // A scan of every machine: the admin API lists one license at a time, rarely, and the table is in memory.
        return table.values().get().stream()
                .filter(machine -> machine.licenseId().equals(licenseId))
                .sorted(Comparator.comparing(MachineRecord::machineId))
                .toList();
    }

    @Override
    public Optional<MachineRecord> get(String licenseId, String machineId) {
        return table.get().apply(MachineRecord.keyOf(licenseId, machineId));
    }
}
