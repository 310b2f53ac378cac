package io.tlswatch.contract.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The error classes a client report's {@code errorClass} takes that tlswatch knows: W3C Network Error Logging's
 * names where one fits, and {@code license.*} for a license check refused because of the client (the TLS
 * worked, the check did not). The field itself is open: browsers send NEL types not listed here, and a newer SDK
 * may send a class this version does not know; posture counts those in the window and otherwise ignores them.
 *
 * <p>The SDK keeps its own copy ({@code io.tlswatch.client.report.ErrorClass}), since it depends on nothing of
 * ours; a test in the SDK's module fails when the two differ. Only the classes marked {@link #sdkReports()}
 * are in that copy: the others come from browsers alone.
 */
public enum ErrorClass {
    /** No protocol version or cipher suite in common (either side refused). */
    VERSION_OR_CIPHER_MISMATCH("tls.version_or_cipher_mismatch", true),
    /** The server's certificate chains to no CA the client trusts. */
    CERT_AUTHORITY_INVALID("tls.cert.authority_invalid", true),
    /** A certificate expired or is not yet valid, by the client's clock. */
    CERT_DATE_INVALID("tls.cert.date_invalid", true),
    /** The certificate does not name the host the client connected to. */
    CERT_NAME_INVALID("tls.cert.name_invalid", true),
    /** A certificate was revoked. */
    CERT_REVOKED("tls.cert.revoked", true),
    /** Some other certificate problem (a bad signature, a constraint, a key too weak for the client). */
    CERT_INVALID("tls.cert.invalid", true),
    /** A browser's pinned key is not in the chain (NEL only). */
    CERT_PINNED_KEY_NOT_IN_CERT_CHAIN("tls.cert.pinned_key_not_in_cert_chain", false),
    /** The server refused the client's certificate (NEL only). */
    BAD_CLIENT_AUTH_CERT("tls.bad_client_auth_cert", false),
    /** The handshake failed otherwise (an unexpected message, an alert, the peer hung up). */
    PROTOCOL_ERROR("tls.protocol.error", true),
    /** A TLS failure the SDK could not place. */
    TLS_FAILED("tls.failed", true),
    /** Connecting or reading timed out. */
    TIMED_OUT("tcp.timed_out", true),
    /** The connection was refused (nobody listens): not a TLS failure. */
    REFUSED("tcp.refused", true),
    /** The connection was reset or closed outside a handshake. */
    TCP_FAILED("tcp.failed", true),
    /** The host name did not resolve. */
    NAME_NOT_RESOLVED("dns.name_not_resolved", true),
    /** The client's clock is too far from the license server's for a check to pass. */
    LICENSE_CLOCK_SKEW("license.clock_skew", true),
    /** The validator refused the client's DPoP proof and its clock looks right. */
    LICENSE_PROOF_INVALID("license.proof_invalid", true),
    /** The validator saw no proof: something between the client and it strips the {@code DPoP} header. */
    LICENSE_PROOF_REQUIRED("license.proof_required", true),
    /** The server answered with an HTTP error. */
    HTTP_ERROR("http.error", true);

    /** What any error class looks like on the wire, known or not: dotted lowercase words. */
    private static final Pattern WELL_FORMED = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    private static final Map<String, ErrorClass> BY_WIRE = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(ErrorClass::wire, Function.identity()));

    private final String wire;
    private final boolean sdkReports;

    ErrorClass(String wire, boolean sdkReports) {
        this.wire = wire;
        this.sdkReports = sdkReports;
    }

    /** The name in {@code errorClass}. */
    public String wire() {
        return wire;
    }

    /** Whether the SDK reports it (and so its copy of the taxonomy lists it). */
    public boolean sdkReports() {
        return sdkReports;
    }

    /** The known class with that wire name; empty for {@code null} and for a class not listed here. */
    public static Optional<ErrorClass> fromWire(String wire) {
        return wire == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(wire));
    }

    /** Whether a value is shaped like an error class (dotted lowercase words), known or not. */
    public static boolean wellFormed(String value) {
        return value != null && WELL_FORMED.matcher(value).matches();
    }
}
