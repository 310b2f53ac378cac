package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The wire format a client report arrived in. */
public enum ReportFormat {
    /** The SDK's own JSON ({@code POST /v1/reports}). */
    @JsonProperty("native")
    NATIVE,
    /** W3C Network Error Logging via the Reporting API ({@code POST /v1/nel}). */
    @JsonProperty("nel")
    NEL
}
