package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why a machine stopped holding a slot. */
public enum MachineDeactivation {
    /** The SDK deactivated it (uninstall). */
    @JsonProperty("client")
    CLIENT,
    /** An operator deactivated it through the admin API. */
    @JsonProperty("operator")
    OPERATOR,
    /** Its heartbeats stopped for longer than its policy allows, and the policy culls dead machines. */
    @JsonProperty("heartbeat_dead")
    HEARTBEAT_DEAD,
    /** It sent no heartbeats and made no check within its policy's machine window. */
    @JsonProperty("window_expired")
    WINDOW_EXPIRED,
    /** Its activation arrived when the license's slots were already taken (two replicas raced for the last one). */
    @JsonProperty("over_limit")
    OVER_LIMIT
}
