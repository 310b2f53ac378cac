package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a machine holds one of its license's slots. */
public enum MachineStatus {
    @JsonProperty("active")
    ACTIVE,
    @JsonProperty("deactivated")
    DEACTIVATED
}
