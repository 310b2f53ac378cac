package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happens to a machine whose heartbeat is overdue (Keygen's heartbeat cull strategy). */
public enum HeartbeatLapse {
    /** The machine is deactivated (culled) and its slot freed; it must activate again. */
    @JsonProperty("deactivate")
    DEACTIVATE,
    /** The machine keeps its slot, but its checks are refused with {@code HEARTBEAT_DEAD} until it beats again. */
    @JsonProperty("keep")
    KEEP
}
