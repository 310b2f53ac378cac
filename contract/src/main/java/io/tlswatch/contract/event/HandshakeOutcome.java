package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a TLS handshake completed. */
public enum HandshakeOutcome {
    @JsonProperty("success")
    SUCCESS,
    @JsonProperty("failure")
    FAILURE
}
