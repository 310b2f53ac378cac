package io.tlswatch.client.report;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Places a failed connection in the collector's taxonomy by reading the exception and its causes as the JDK
 * (SunJSSE and the PKIX validator) throws them: the exception types where they tell (certificate dates,
 * {@code CertPathValidatorException} reasons, timeouts), else the alert and message texts, which are stable
 * across JDK 8 to 21 ({@code protocol_version}, {@code handshake_failure}, "No appropriate protocol", "No subject
 * alternative names", "unable to find valid certification path"). Most specific first: a certificate problem is
 * reported as such even when it arrives wrapped in a generic handshake failure.
 */
public final class TlsFailureClassifier {

    private static final int MAX_CAUSES = 16;
    private static final int MAX_MESSAGE = 1000;

    public Classification classify(Throwable failure) {
        List<Throwable> chain = chain(failure);
        String message = describe(chain);
        boolean tls = false;
        for (Throwable t : chain) {
            if (t instanceof SSLException) {
                tls = true;
                break;
            }
        }
        String certificate = certificateClass(chain);
        if (certificate != null) {
            return new Classification(certificate, true, message);
        }
        for (Throwable t : chain) {
            if (t instanceof SocketTimeoutException
                    || "java.net.http.HttpTimeoutException".equals(t.getClass().getName())
                    || "java.net.http.HttpConnectTimeoutException".equals(t.getClass().getName())) {
                return new Classification(ErrorClass.TIMED_OUT, true, message);
            }
        }
        if (tls) {
            String text = message.toLowerCase(Locale.ROOT);
            if (text.contains("no appropriate protocol") || text.contains("protocol_version")
                    || text.contains("handshake_failure") || text.contains("insufficient_security")
                    || text.contains("no cipher suites in common") || text.contains("not accepted by client preferences")
                    || text.contains("is not enabled or supported") || text.contains("unsupported protocol")
                    || text.contains("no negotiable cipher suite")) {
                return new Classification(ErrorClass.VERSION_OR_CIPHER_MISMATCH, true, message);
            }
            for (Throwable t : chain) {
                if (t instanceof SSLHandshakeException || t instanceof SSLException) {
                    return new Classification(ErrorClass.PROTOCOL_ERROR, true, message);
                }
            }
            return new Classification(ErrorClass.TLS_FAILED, true, message);
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return new Classification(ErrorClass.NAME_NOT_RESOLVED, false, message);
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new Classification(ErrorClass.REFUSED, false, message);
            }
            if (t instanceof SocketException) {
                return new Classification(ErrorClass.TCP_FAILED, false, message);
            }
        }
        return new Classification(ErrorClass.TCP_FAILED, false, message);
    }

    private static String certificateClass(List<Throwable> chain) {
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return ErrorClass.CERT_DATE_INVALID;
            }
            if (t instanceof CertPathValidatorException) {
                CertPathValidatorException.Reason reason = ((CertPathValidatorException) t).getReason();
                if (reason == CertPathValidatorException.BasicReason.EXPIRED
                        || reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return ErrorClass.CERT_DATE_INVALID;
                }
                if (reason == CertPathValidatorException.BasicReason.REVOKED) {
                    return ErrorClass.CERT_REVOKED;
                }
            }
        }
        for (Throwable t : chain) {
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (text.contains("no subject alternative") || text.contains("no name matching")
                    || text.contains("hostname wrong")) {
                return ErrorClass.CERT_NAME_INVALID;
            }
        }
        for (Throwable t : chain) {
            String text = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertPathBuilderException
                    || "sun.security.provider.certpath.SunCertPathBuilderException".equals(t.getClass().getName())
                    || text.contains("unable to find valid certification path")
                    || text.contains("no trusted certificate found") || text.contains("unknown_ca")) {
                return ErrorClass.CERT_AUTHORITY_INVALID;
            }
            if (t instanceof CertPathValidatorException) {
                CertPathValidatorException.Reason reason = ((CertPathValidatorException) t).getReason();
                if (reason == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
                    return ErrorClass.CERT_INVALID;
                }
                return text.contains("trust anchor") ? ErrorClass.CERT_AUTHORITY_INVALID : ErrorClass.CERT_INVALID;
            }
            if (text.contains("certificate_expired")) {
                return ErrorClass.CERT_DATE_INVALID;
            }
        }
        return null;
    }

    private static List<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && seen.add(t) && chain.size() < MAX_CAUSES; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static String describe(List<Throwable> chain) {
        StringBuilder text = new StringBuilder();
        for (Throwable t : chain) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) : text.toString();
    }
}
