package io.tlswatch.tlsserver.classify;

/** What the first bytes of a connection looked like, before any TLS engine read them. */
public enum OpeningBytes {
    /** Nothing arrived. */
    NONE,
    /** A TLS handshake record, or an SSLv2-format ClientHello. */
    TLS,
    /** Anything else: plain HTTP, another protocol, noise. */
    NOT_TLS
}
