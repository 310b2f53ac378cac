package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What an admin API token may do; each scope includes the ones before it. */
public enum AdminScope {
    /** Read licenses, machines, policies. */
    @JsonProperty("read")
    READ,
    /** Also change licenses, machines and policies. */
    @JsonProperty("write")
    WRITE,
    /** Also anything reserved to administrators. */
    @JsonProperty("admin")
    ADMIN;

    /** Whether a token with this scope may do what {@code needed} allows. */
    public boolean includes(AdminScope needed) {
        return compareTo(needed) >= 0;
    }
}
