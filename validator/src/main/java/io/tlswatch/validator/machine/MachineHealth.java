package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.validator.license.EffectiveTerms;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether an active machine is keeping up with its license's terms at a given time (docs/licenses.md,
 * "Machines"). Pure.
 *
 * <ul>
 *   <li>Heartbeats not required: the machine lapses ({@link #WINDOW_EXPIRED}) once the policy's machine window
 *       has passed since it was last seen (activated, checked or heartbeat, as far as its latest row knows).</li>
 *   <li>Heartbeats required: a heartbeat is due one interval after the last (or after the activation); it is
 *       dead once it is {@link #grace grace} late beyond that. A machine that never sent one is
 *       {@link #NOT_STARTED} from one interval after its activation; a dead one is {@link #DEAD}. The window does
 *       not apply.</li>
 * </ul>
 */
public enum MachineHealth {
    OK,
    /** Heartbeats required, none sent, and more than one interval since the activation (still within grace). */
    NOT_STARTED,
    /** Heartbeats required and the last one (or the activation, if none) is more than interval + grace ago. */
    DEAD,
    /** Heartbeats not required and the machine was not seen within the machine window. */
    WINDOW_EXPIRED;

    /**
     * The grace past a heartbeat's due time before the machine counts as dead: half the interval, so that one
     * heartbeat delayed by a slow network or a paused process does not kill a machine.
     */
    public static Duration grace(Duration heartbeatInterval) {
        return heartbeatInterval.dividedBy(2);
    }

    public static MachineHealth of(MachineRecord row, EffectiveTerms terms, Instant now) {
        if (!terms.heartbeatsRequired()) {
            return lastSeen(row).plus(terms.machineWindow()).isAfter(now) ? OK : WINDOW_EXPIRED;
        }
        Duration interval = terms.heartbeatInterval();
        Instant basis = row.lastHeartbeatAt() != null ? row.lastHeartbeatAt() : row.activatedAt();
        if (!basis.plus(interval).plus(grace(interval)).isAfter(now)) {
            return DEAD;
        }
        if (row.lastHeartbeatAt() == null && !basis.plus(interval).isAfter(now)) {
            return NOT_STARTED;
        }
        return OK;
    }

    /** When the next heartbeat is due: one interval after the last, or after the activation before the first. */
    public static Instant heartbeatDue(MachineRecord row, Duration interval) {
        return (row.lastHeartbeatAt() != null ? row.lastHeartbeatAt() : row.activatedAt()).plus(interval);
    }

    /** The latest time the row knows the machine was alive. */
    public static Instant lastSeen(MachineRecord row) {
        Instant seen = row.activatedAt();
        if (row.lastCheckAt() != null && row.lastCheckAt().isAfter(seen)) {
            seen = row.lastCheckAt();
        }
        if (row.lastHeartbeatAt() != null && row.lastHeartbeatAt().isAfter(seen)) {
            seen = row.lastHeartbeatAt();
        }
        return seen;
    }
}
