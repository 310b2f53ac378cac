package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.MachineRecord;

import java.util.List;
import java.util.Optional;

/**
 * The machines of each license as the admin API shows them: the latest row of every machine ever seen, active or
 * deactivated. The default reads the machines table as it is ({@link TableMachineDirectory}); a ledger that knows
 * which activations lost a race for the last slot can stand in for it.
 */
public interface MachineDirectory {

    /** The license's machines, by machine id. */
    List<MachineRecord> list(String licenseId);

    Optional<MachineRecord> get(String licenseId, String machineId);
}
