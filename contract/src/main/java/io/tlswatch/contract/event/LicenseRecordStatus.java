package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The administrative status of a license in the registry. */
public enum LicenseRecordStatus {
    @JsonProperty("active")
    ACTIVE,
    /** Temporarily refused (e.g. unpaid); can be resumed. */
    @JsonProperty("suspended")
    SUSPENDED,
    /** Permanently refused. */
    @JsonProperty("revoked")
    REVOKED
}
