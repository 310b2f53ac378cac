package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a machine comes to count against its license. */
public enum MachineActivation {
    /** A valid check from a new machine activates it, if a slot is free. */
    @JsonProperty("on_check")
    ON_CHECK,
    /** Only an explicit activation does; a check from a machine not activated gets {@code NO_MACHINE}. */
    @JsonProperty("explicit")
    EXPLICIT
}
