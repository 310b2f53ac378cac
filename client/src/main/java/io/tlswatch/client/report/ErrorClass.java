package io.tlswatch.client.report;

/**
 * The error classes the SDK reports: the collector's taxonomy, W3C Network Error Logging's names where one fits,
 * and {@code license.*} for a license check the validator (or the SDK) refused because of this client: the TLS
 * worked, the check did not. A copy of the contract's {@code ErrorClass} (the SDK depends on nothing of ours): a
 * test fails when the two differ, so a class is added to both or to neither.
 */
public final class ErrorClass {

    /** No protocol version or cipher suite in common (either side refused). */
    public static final String VERSION_OR_CIPHER_MISMATCH = "tls.version_or_cipher_mismatch";
    /** The server's certificate chains to no CA this client trusts. */
    public static final String CERT_AUTHORITY_INVALID = "tls.cert.authority_invalid";
    /** A certificate expired or is not yet valid, by this client's clock. */
    public static final String CERT_DATE_INVALID = "tls.cert.date_invalid";
    /** The certificate does not name the host the client connected to. */
    public static final String CERT_NAME_INVALID = "tls.cert.name_invalid";
    /** A certificate was revoked. */
    public static final String CERT_REVOKED = "tls.cert.revoked";
    /** Some other certificate problem (a bad signature, a constraint, a key too weak for this client). */
    public static final String CERT_INVALID = "tls.cert.invalid";
    /** The handshake failed otherwise (an unexpected message, an alert, the peer hung up). */
    public static final String PROTOCOL_ERROR = "tls.protocol.error";
    /** A TLS failure the SDK could not place. */
    public static final String TLS_FAILED = "tls.failed";
    /** Connecting or reading timed out. */
    public static final String TIMED_OUT = "tcp.timed_out";
    /** The connection was refused (nobody listens): not a TLS failure. */
    public static final String REFUSED = "tcp.refused";
    /** The connection was reset or closed outside a handshake. */
    public static final String TCP_FAILED = "tcp.failed";
    /** The host name did not resolve. */
    public static final String NAME_NOT_RESOLVED = "dns.name_not_resolved";
    /**
     * This client's clock is too far from the license server's for a check to pass: the validator refused its DPoP
     * proof ({@code PROOF_INVALID}, its {@code iat} outside the server's window) and the server's {@code Date} was
     * more than a minute away, or a token issued a moment ago was already expired or not yet valid here.
     */
    public static final String LICENSE_CLOCK_SKEW = "license.clock_skew";
    /** The validator refused this client's DPoP proof ({@code PROOF_INVALID}) and its clock looks right. */
    public static final String LICENSE_PROOF_INVALID = "license.proof_invalid";
    /** The validator saw no proof ({@code PROOF_REQUIRED}): something between strips the {@code DPoP} header. */
    public static final String LICENSE_PROOF_REQUIRED = "license.proof_required";
    /** The server answered with an HTTP error. */
    public static final String HTTP_ERROR = "http.error";

    private ErrorClass() {
    }
}
