package io.tlswatch.streams.posture;

/** What a piece of evidence about a client is. */
public enum ObservationKind {
    /** A failed handshake attributed to the client. */
    FAILURE,
    /** A successful handshake attributed to the client. */
    SUCCESS,
    /** A license check the client made (it completed a handshake to make it). */
    CHECK,
    /** A TLS error report the client sent. */
    REPORT,
    /**
     * A handshake at the collector's report listener: what the client offered counts, but not whether it
     * completed, because that listener accepts what the license server refuses (TLS 1.0, legacy suites).
     */
    OFFER
}
