package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How one attempt to deliver an alert to a pager ended. */
public enum DeliveryOutcome {
    /** The target took it (a 2xx answer). */
    @JsonProperty("accepted")
    ACCEPTED,
    /** The target refused it for good (a 4xx other than 408 and 429): sending it again would not help. */
    @JsonProperty("rejected")
    REJECTED,
    /** 429: the target asked us to slow down. */
    @JsonProperty("rate_limited")
    RATE_LIMITED,
    /** 5xx or 408: the target failed for now. */
    @JsonProperty("server_error")
    SERVER_ERROR,
    /** No answer within the target's timeout. */
    @JsonProperty("timeout")
    TIMEOUT,
    /** The connection could not be made or broke. */
    @JsonProperty("network_error")
    NETWORK_ERROR
}
