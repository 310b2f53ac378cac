package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why a TLS handshake failed, classified the same way for both providers.
 *
 * <p>This set is open: a reader meets a value it does not know as {@link #OTHER}, so a producer may add a
 * reason without a new major version (the raw text stays in {@code failureMessage}).
 */
public enum FailureReason {
    /** No protocol version in common (e.g. a TLS 1.0-only client against a TLS 1.2+ server). */
    @JsonProperty("protocol_version")
    PROTOCOL_VERSION,
    /** No cipher suite in common. */
    @JsonProperty("no_shared_cipher")
    NO_SHARED_CIPHER,
    /** No key-exchange group in common. */
    @JsonProperty("no_shared_group")
    NO_SHARED_GROUP,
    /** A certificate (either side's) was malformed or its signature did not verify. */
    @JsonProperty("bad_certificate")
    BAD_CERTIFICATE,
    /** A certificate chain did not lead to a trusted CA (on the client: an old trust store). */
    @JsonProperty("unknown_ca")
    UNKNOWN_CA,
    /** A certificate was outside its validity period (or a clock is wrong). */
    @JsonProperty("certificate_expired")
    CERTIFICATE_EXPIRED,
    /** The handshake did not complete within the server's handshake timeout. */
    @JsonProperty("handshake_timeout")
    HANDSHAKE_TIMEOUT,
    /** The first bytes were not a TLS record (e.g. plain HTTP sent to the TLS port). */
    @JsonProperty("not_tls")
    NOT_TLS,
    /** The client closed the connection, or sent a fatal alert of its own, before the handshake completed. */
    @JsonProperty("closed_by_client")
    CLOSED_BY_CLIENT,
    /** Anything else; the raw message is in {@code failureMessage}. */
    @JsonProperty("other")
    @JsonEnumDefaultValue
    OTHER
}
