package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How urgently a person should look at an alert. */
public enum Severity {
    @JsonProperty("critical")
    CRITICAL,
    @JsonProperty("warning")
    WARNING,
    @JsonProperty("info")
    INFO
}
