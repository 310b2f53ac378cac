package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happened to a served certificate or its OCSP staple. */
public enum CertificateEventKind {
    /** Loaded at start-up. */
    @JsonProperty("loaded")
    LOADED,
    /** Replaced by new material without a restart. */
    @JsonProperty("rotated")
    ROTATED,
    /** New material was invalid; the previous certificate keeps serving. */
    @JsonProperty("rotation_refused")
    ROTATION_REFUSED,
    /** Crossed a configured days-before-expiry threshold (each threshold once). */
    @JsonProperty("expiring")
    EXPIRING,
    /** Its not-after has passed. */
    @JsonProperty("expired")
    EXPIRED,
    /** A fresh, good OCSP response was fetched. */
    @JsonProperty("ocsp_refreshed")
    OCSP_REFRESHED,
    /** An OCSP fetch or check failed; the last good response (if any) is kept. */
    @JsonProperty("ocsp_failed")
    OCSP_FAILED,
    /** The responder says the certificate is revoked; it is no longer stapled. */
    @JsonProperty("ocsp_revoked")
    OCSP_REVOKED
}
