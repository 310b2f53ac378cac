package io.tlswatch.common.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a TLS handshake completed. */
public enum HandshakeOutcome {
    @JsonProperty("success")
    SUCCESS,
    @JsonProperty("failure")
    FAILURE
}
