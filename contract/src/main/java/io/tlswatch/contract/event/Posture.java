package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A client's TLS posture (docs/posture.md). */
public enum Posture {
    /** Works, on nothing scheduled to break. */
    @JsonProperty("healthy")
    HEALTHY,
    /** Works today, on something scheduled to break (legacy ciphers, old trust store, wrong clock). */
    @JsonProperty("degraded")
    DEGRADED,
    /** Cannot complete a modern handshake. */
    @JsonProperty("stuck")
    STUCK,
    /** Stuck, and its entitlement or license grace runs out within the configured horizon. */
    @JsonProperty("at_risk")
    AT_RISK,
    /** Never tied to a client (an address or fingerprint only). */
    @JsonProperty("unknown")
    UNKNOWN
}
