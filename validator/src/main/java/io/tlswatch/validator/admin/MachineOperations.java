package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.MachineStatus;
import io.tlswatch.contract.topic.LicensePartition;
import io.tlswatch.contract.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine endpoints: a license's machines, and deactivating one. A deactivation is a
 * {@code DEACTIVATED}/{@code operator} row written to the license's partition of {@code tlswatch.machines.v1}
 * ({@link LicensePartition}), so that every replica reads it in order with the license's activations and frees the
 * slot. Deactivating a machine that is not active writes nothing.
 */
public final class MachineOperations {

    private static final Logger log = LoggerFactory.getLogger(MachineOperations.class);

    private final LicenseDirectory licenses;
    private final MachineDirectory machines;
    private final AdminWrites writes;
    private final Topic<String, MachineRecord> topic;
    private final Clock clock;
    private final String source;

    public MachineOperations(LicenseDirectory licenses, MachineDirectory machines, AdminWrites writes,
                             Topic<String, MachineRecord> topic, Clock clock, String source) {
        this.licenses = licenses;
        this.machines = machines;
        this.writes = writes;
        this.topic = topic;
        this.clock = clock;
        this.source = source;
    }

    public AdminResponse list(String licenseId) {
        knownLicense(licenseId);
        return AdminResponse.ok(Map.of("machines", machines.list(licenseId)));
    }

    public synchronized AdminResponse deactivate(AdminPrincipal by, String licenseId, String machineId,
                                                 AdminBody body) {
        knownLicense(licenseId);
        MachineRecord current = machines.get(licenseId, machineId).orElseThrow(() -> AdminError.notFound(
                "machineId", "license " + licenseId + " has no machine '" + machineId + "'"));
        Map<String, Object> answer = new LinkedHashMap<>();
        if (current.status() != MachineStatus.ACTIVE) {
            answer.put("written", false);
            answer.put("machine", current);
            return AdminResponse.ok(answer);
        }
        MachineRecord deactivated = current.deactivated(clock.instant(), source, MachineDeactivation.OPERATOR,
                by.name(), body.text("reason"));
        writes.write(topic, deactivated.key(), deactivated,
                LicensePartition.of(licenseId, writes.partitions(topic)));
        log.info("Machine {} of license {} deactivated by {}: {}", machineId, licenseId, by.name(),
                deactivated.reason());
        answer.put("written", true);
        answer.put("machine", deactivated);
        return AdminResponse.ok(answer);
    }

    private void knownLicense(String licenseId) {
        if (licenses.get(licenseId).isEmpty()) {
            throw AdminError.notFound("licenseId", "no license with id '" + licenseId + "'");
        }
    }
}
