package io.tlswatch.validator.api;

import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.validator.license.EffectiveTerms;
import io.tlswatch.validator.machine.MachineHealth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The {@code machine} object of the API's answers (docs/api.md). */
final class MachineJson {

    private MachineJson() {
    }

    static Map<String, Object> describe(MachineRecord row, EffectiveTerms terms) {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("id", row.machineId());
        machine.put("status", row.status().name().toLowerCase(Locale.ROOT));
        machine.put("activatedAt", row.activatedAt());
        if (row.lastHeartbeatAt() != null) {
            machine.put("lastHeartbeatAt", row.lastHeartbeatAt());
        }
        Map<String, Object> heartbeat = new LinkedHashMap<>();
        heartbeat.put("required", terms.heartbeatsRequired());
        if (terms.heartbeatsRequired()) {
            heartbeat.put("interval", terms.heartbeatInterval());
            heartbeat.put("dueAt", MachineHealth.heartbeatDue(row, terms.heartbeatInterval()));
        }
        machine.put("heartbeat", heartbeat);
        return machine;
    }
}
