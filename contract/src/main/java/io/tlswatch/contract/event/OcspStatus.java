package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The certificate status an OCSP responder gave (RFC 6960). */
public enum OcspStatus {
    @JsonProperty("good")
    GOOD,
    @JsonProperty("revoked")
    REVOKED,
    @JsonProperty("unknown")
    UNKNOWN
}
