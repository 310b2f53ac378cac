package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * One machine of one license: a row of the compacted table {@code tlswatch.machines.v1}, keyed by
 * {@link #keyOf licenseId and machine id}, every row of a license on the partition of its license id, so that
 * every replica reads a license's activations in the same order (docs/licenses.md, "Machines"). Each change is a
 * whole new row; a {@code null} value forgets the machine.
 *
 * @param licenseId       the license the machine uses
 * @param machineId       the machine: the SDK's client id (one installation)
 * @param name            a name people read (the host name, say); optional
 * @param status          whether it holds a slot
 * @param activatedAt     when it was activated (kept on later rows of the same activation)
 * @param lastCheckAt     its last valid check, as far as this row knows; optional
 * @param lastHeartbeatAt its last heartbeat; absent before the first
 * @param deactivatedAt   when it stopped holding a slot; only on a {@code DEACTIVATED} row
 * @param deactivation    why it stopped; only on a {@code DEACTIVATED} row
 * @param operator        who made the change when a person did (an admin token's name); optional
 * @param reason          why, as the operator gave it; optional
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MachineRecord(
        String type,
        String id,
        Instant time,
        String source,
        String licenseId,
        String machineId,
        String name,
        MachineStatus status,
        Instant activatedAt,
        Instant lastCheckAt,
        Instant lastHeartbeatAt,
        Instant deactivatedAt,
        MachineDeactivation deactivation,
        String operator,
        String reason) implements Event {

    public static final String TYPE = "tlswatch.machine/1";
    /** Separates the license id from the machine id in the record key; license ids cannot contain it. */
    public static final char KEY_SEPARATOR = '\u001f';

    public MachineRecord {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("licenseId", licenseId);
        if (licenseId.indexOf(KEY_SEPARATOR) >= 0) {
            throw new IllegalArgumentException("field 'licenseId' must not contain U+001F");
        }
        Fields.text("machineId", machineId);
        Fields.optionalText("name", name);
        Fields.required("status", status);
        activatedAt = Fields.requiredMillis("activatedAt", activatedAt);
        lastCheckAt = Fields.millis(lastCheckAt);
        lastHeartbeatAt = Fields.millis(lastHeartbeatAt);
        deactivatedAt = Fields.millis(deactivatedAt);
        boolean deactivated = status == MachineStatus.DEACTIVATED;
        if (deactivated != (deactivatedAt != null) || deactivated != (deactivation != null)) {
            throw new IllegalArgumentException(
                    "field 'deactivatedAt' and 'deactivation' are required on a deactivated machine and only there");
        }
        Fields.optionalText("operator", operator);
        Fields.optionalText("reason", reason);
    }

    /** The record key of a machine: the license id, U+001F, the machine id. */
    public static String keyOf(String licenseId, String machineId) {
        return licenseId + KEY_SEPARATOR + machineId;
    }

    @Override
    public String key() {
        return keyOf(licenseId, machineId);
    }

    /** The first row of an activation. */
    public static MachineRecord activated(Instant time, String source, String licenseId, String machineId,
                                          String name) {
        return new MachineRecord(TYPE, Fields.newId(), time, source, licenseId, machineId, name,
                MachineStatus.ACTIVE, time, time, null, null, null, null, null);
    }

    /** The next row of this machine, still active, with a heartbeat at {@code at}. */
    public MachineRecord heartbeat(Instant at, String writer) {
        return new MachineRecord(TYPE, Fields.newId(), at, writer, licenseId, machineId, name, status, activatedAt,
                lastCheckAt, at, deactivatedAt, deactivation, null, null);
    }

    /** The next row of this machine, still active, with a valid check at {@code at}. */
    public MachineRecord checked(Instant at, String writer) {
        return new MachineRecord(TYPE, Fields.newId(), at, writer, licenseId, machineId, name, status, activatedAt,
                at, lastHeartbeatAt, deactivatedAt, deactivation, null, null);
    }

    /** The next row of this machine: deactivated at {@code at} for {@code why}, by {@code operator} if a person. */
    public MachineRecord deactivated(Instant at, String writer, MachineDeactivation why, String byOperator,
                                     String because) {
        return new MachineRecord(TYPE, Fields.newId(), at, writer, licenseId, machineId, name,
                MachineStatus.DEACTIVATED, activatedAt, lastCheckAt, lastHeartbeatAt, at, why, byOperator, because);
    }
}
