package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why an alert went to the dead-letter topic instead of a pager. */
public enum DeadLetterReason {
    /** The target refused the alert with a permanent error. */
    @JsonProperty("rejected")
    REJECTED,
    /** Every allowed attempt failed with a transient error. */
    @JsonProperty("attempts_exhausted")
    ATTEMPTS_EXHAUSTED,
    /** The record on the alerts topic was not a readable {@code tlswatch.alert/1}. */
    @JsonProperty("unreadable")
    UNREADABLE
}
