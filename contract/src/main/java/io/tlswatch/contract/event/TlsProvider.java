package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The TLS implementation that terminated the connection. */
public enum TlsProvider {
    /** netty-tcnative (BoringSSL). */
    @JsonProperty("openssl")
    OPENSSL,
    /** The JDK's JSSE. */
    @JsonProperty("jdk")
    JDK
}
