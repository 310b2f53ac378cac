package io.tlswatch.tlsserver.clienthello;

/**
 * Why bytes could not be read as a ClientHello. A bounded set, so that it can be a metric tag.
 */
public enum ParseError {
    /** The input ends before the record or handshake message it started is complete. */
    TRUNCATED,
    /** Not TLS at all: plain HTTP sent to a TLS port, another protocol, or noise. */
    NOT_TLS,
    /** An SSLv2-compatible ClientHello (RFC 5246 appendix E.2): a client that still speaks the SSLv2 hello format. */
    SSLV2,
    /** A TLS record, but not a handshake record (an alert, application data, ...). */
    NOT_HANDSHAKE,
    /** A handshake message, but not a ClientHello. */
    NOT_CLIENT_HELLO,
    /** A length field contradicts the bytes around it (overruns its enclosing structure, leaves bytes over, is out of range). */
    BAD_LENGTH,
    /** The ClientHello declares itself larger than the parser accepts. */
    TOO_LARGE,
    /** An extension the parser decodes has a malformed body, or an extension type appears twice. */
    MALFORMED_EXTENSION,
    /** The parser itself failed; never expected, counted so that it is seen. */
    INTERNAL
}
