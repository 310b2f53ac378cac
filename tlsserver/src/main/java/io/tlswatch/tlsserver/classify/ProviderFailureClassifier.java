package io.tlswatch.tlsserver.classify;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslClosedEngineException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.tlsserver.tls.EnabledTls;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a failed handshake to a {@link FailureReason}, the same way for the JDK and OpenSSL (BoringSSL) providers.
 *
 * <p>In order: what the connection showed (not TLS, timeout), an alert the client sent, the certificate
 * exceptions in the cause chain (both providers check client certificates with the JDK's trust manager), then
 * the providers' error texts (JSSE messages, BoringSSL reason codes), then a close by the client. When the
 * ClientHello was read, a verdict about suites, groups or versions is checked against what the client offered,
 * because the providers blur these: the JDK reports a TLS 1.2 client without a shared group as "no cipher
 * suites in common", and BoringSSL reports a client that offered no ECDHE suite as {@code WRONG_CURVE}. The
 * mapping of each message was measured with real clients against both providers (see docs/tls.md).
 */
public final class ProviderFailureClassifier implements FailureClassifier {

    static final int MAX_MESSAGE_LENGTH = 500;

    private static final Pattern JDK_ALERT = Pattern.compile("Received fatal alert: ([a-z_]+)");
    private static final Pattern BORINGSSL_ALERT = Pattern.compile("(?:SSLV3|TLSV1|TLSV13)_ALERT_([A-Z_]+)");

    private static final List<String> PROTOCOL_VERSION_TEXTS = List.of(
            "UNSUPPORTED_PROTOCOL",                              // BoringSSL: no version in common
            "is not enabled or supported in server context",     // JDK: "Client requested protocol TLSv1 is not..."
            "The client supported protocol versions",            // JDK, TLS 1.3 supported_versions path
            "No appropriate protocol");                          // JDK, nothing enabled fits
    private static final List<String> NO_SHARED_GROUP_TEXTS = List.of(
            "NO_SHARED_GROUP",                                   // BoringSSL, TLS 1.3
            "No common named group",                             // JDK, TLS 1.3
            "WRONG_CURVE");                                      // BoringSSL, TLS 1.2 (checked against the offer)
    private static final List<String> NO_SHARED_CIPHER_TEXTS = List.of(
            "NO_SHARED_CIPHER",                                  // BoringSSL
            "no cipher suites in common");                       // JDK (checked against the offer)
    private static final List<String> BAD_CERTIFICATE_TEXTS = List.of(
            "PEER_DID_NOT_RETURN_A_CERTIFICATE",                 // BoringSSL: mTLS required, none sent
            "Empty client certificate chain",                    // JDK: the same
            "CERTIFICATE_VERIFY_FAILED");                        // BoringSSL, when no Java cause is attached

    private static final Map<String, FailureReason> ALERTS = Map.ofEntries(
            Map.entry("protocol_version", FailureReason.PROTOCOL_VERSION),
            Map.entry("bad_certificate", FailureReason.BAD_CERTIFICATE),
            Map.entry("unsupported_certificate", FailureReason.BAD_CERTIFICATE),
            Map.entry("certificate_revoked", FailureReason.BAD_CERTIFICATE),
            Map.entry("certificate_required", FailureReason.BAD_CERTIFICATE),
            Map.entry("bad_certificate_status_response", FailureReason.BAD_CERTIFICATE),
            Map.entry("certificate_expired", FailureReason.CERTIFICATE_EXPIRED),
            Map.entry("unknown_ca", FailureReason.UNKNOWN_CA),
            // JSSE sends certificate_unknown when its trust store lacks the server's CA: the outdated-trust-store
            // case this product exists for. (It also sends it for a host name mismatch, which is rarer.)
            Map.entry("certificate_unknown", FailureReason.UNKNOWN_CA));

    private final OfferCheck offerCheck;

    /**
     * @param enabled what the server enables, to check verdicts against the client's offer
     */
    public ProviderFailureClassifier(EnabledTls enabled) {
        this.offerCheck = new OfferCheck(Objects.requireNonNull(enabled, "enabled"));
    }

    @Override
    public FailureVerdict classify(FailureEvidence failure) {
        List<Throwable> chain = causeChain(failure.error());
        FailureReason reason = classify(failure, chain);
        // Netty appends the offending bytes in hex: a plain HTTP request, with whatever headers and keys it
        // carried. That must not travel into events.
        String text = has(chain, NotSslRecordException.class) ? "not an SSL/TLS record" : describe(chain);
        if (failure.clientAlert() != null) {
            String alert = "client sent alert " + TlsAlertNames.name(failure.clientAlert());
            text = text.isEmpty() ? alert : text + " (" + alert + ")";
        }
        if (text.isEmpty()) {
            text = switch (reason) {
                case HANDSHAKE_TIMEOUT -> "handshake timed out";
                case CLOSED_BY_CLIENT -> "connection closed by the client";
                case NOT_TLS -> "not a TLS record";
                default -> reason.name().toLowerCase(Locale.ROOT);
            };
        }
        return new FailureVerdict(reason, truncate(text));
    }

    private FailureReason classify(FailureEvidence failure, List<Throwable> chain) {
        if (failure.firstBytes() == OpeningBytes.NOT_TLS
                || has(chain, NotSslRecordException.class) || anyContains(chain, "HTTP_REQUEST")
                || anyContains(chain, "HTTPS_PROXY_REQUEST")) {
            return FailureReason.NOT_TLS;
        }
        if (failure.timedOut() || has(chain, SslHandshakeTimeoutException.class)) {
            return FailureReason.HANDSHAKE_TIMEOUT;
        }
        if (failure.clientAlert() != null) {
            return offerCheck.refine(byAlert(TlsAlertNames.name(failure.clientAlert())), failure.offer());
        }
        FailureReason certificate = byCertificateException(chain);
        if (certificate != null) {
            return certificate;
        }
        FailureReason byText = byText(chain);
        if (byText != null) {
            return offerCheck.refine(byText, failure.offer());
        }
        if (failure.peerClosed() || has(chain, ClosedChannelException.class)
                || has(chain, SslClosedEngineException.class) || connectionReset(chain)) {
            return offerCheck.refine(FailureReason.CLOSED_BY_CLIENT, failure.offer());
        }
        return offerCheck.refine(FailureReason.OTHER, failure.offer());
    }

    /** An alert the client sent: about our certificate it names the reason; any other means the client gave up. */
    private static FailureReason byAlert(String name) {
        return ALERTS.getOrDefault(name, FailureReason.CLOSED_BY_CLIENT);
    }

    private static FailureReason byCertificateException(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return FailureReason.CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathValidatorException validator) {
                CertPathValidatorException.Reason reason = validator.getReason();
                if (reason == CertPathValidatorException.BasicReason.EXPIRED
                        || reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return FailureReason.CERTIFICATE_EXPIRED;
                }
            }
        }
        for (Throwable t : chain) {
            // SunCertPathBuilderException: "unable to find valid certification path to requested target".
            if (t instanceof CertPathBuilderException) {
                return FailureReason.UNKNOWN_CA;
            }
            if (t instanceof CertPathValidatorException validator) {
                return validator.getReason() == java.security.cert.PKIXReason.NO_TRUST_ANCHOR
                        ? FailureReason.UNKNOWN_CA
                        : FailureReason.BAD_CERTIFICATE;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertificateException) {
                return FailureReason.BAD_CERTIFICATE;
            }
        }
        return null;
    }

    private static FailureReason byText(List<Throwable> chain) {
        for (Throwable t : chain) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            Matcher jdk = JDK_ALERT.matcher(message);
            if (jdk.find()) {
                return byAlert(jdk.group(1));
            }
            Matcher boring = BORINGSSL_ALERT.matcher(message);
            if (boring.find()) {
                return byAlert(boring.group(1).toLowerCase(Locale.ROOT));
            }
        }
        if (anyContainsOneOf(chain, PROTOCOL_VERSION_TEXTS)) {
            return FailureReason.PROTOCOL_VERSION;
        }
        if (anyContainsOneOf(chain, NO_SHARED_GROUP_TEXTS)) {
            return FailureReason.NO_SHARED_GROUP;
        }
        if (anyContainsOneOf(chain, NO_SHARED_CIPHER_TEXTS)) {
            return FailureReason.NO_SHARED_CIPHER;
        }
        if (anyContainsOneOf(chain, BAD_CERTIFICATE_TEXTS)) {
            return FailureReason.BAD_CERTIFICATE;
        }
        return null;
    }

    private static boolean connectionReset(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof IOException && t.getMessage() != null
                    && (t.getMessage().contains("Connection reset") || t.getMessage().contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    private static List<Throwable> causeChain(Throwable error) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = error; t != null && seen.put(t, Boolean.TRUE) == null && chain.size() < 16;
             t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }

    private static boolean anyContains(List<Throwable> chain, String text) {
        return chain.stream().anyMatch(t -> t.getMessage() != null && t.getMessage().contains(text));
    }

    private static boolean anyContainsOneOf(List<Throwable> chain, List<String> texts) {
        return texts.stream().anyMatch(text -> anyContains(chain, text));
    }

    /**
     * The messages of the chain, each once: a wrapper often repeats its cause's message. Exceptions without a
     * message are named by their class, so that {@code ClosedChannelException} still says something.
     */
    private static String describe(List<Throwable> chain) {
        List<String> parts = new ArrayList<>();
        for (Throwable t : chain) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(part -> part.contains(message))) {
                parts.add(message);
            }
        }
        return String.join("; caused by: ", parts);
    }

    private static String truncate(String text) {
        return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }
}
