package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the client proved possession of the key its entitlement token is bound to. */
public enum ProofKind {
    /** A DPoP proof (RFC 9449); the token carries {@code cnf.jkt}. */
    @JsonProperty("dpop")
    DPOP,
    /** A client certificate (RFC 8705); the token carries {@code cnf.x5t#S256}. */
    @JsonProperty("mtls")
    MTLS,
    /** No proof was presented. */
    @JsonProperty("none")
    NONE
}
