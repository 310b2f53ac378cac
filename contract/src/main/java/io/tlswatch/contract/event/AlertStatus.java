package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The state an alert event announces. */
public enum AlertStatus {
    @JsonProperty("firing")
    FIRING,
    @JsonProperty("resolved")
    RESOLVED
}
