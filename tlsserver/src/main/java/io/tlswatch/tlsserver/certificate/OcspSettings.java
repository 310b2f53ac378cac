package io.tlswatch.tlsserver.certificate;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the certificate manager gets OCSP responses for its leaf certificate.
 *
 * @param enabled      whether to fetch at all
 * @param responderUrl the responder to ask; {@code null} to take it from the certificate's Authority Information
 *                     Access extension
 * @param timeout      bound on one fetch (connect and answer)
 * @param retryMin     first delay after a failed fetch; doubled per further failure, with jitter
 * @param retryMax     the longest delay between retries
 */
public record OcspSettings(boolean enabled, URI responderUrl, Duration timeout, Duration retryMin, Duration retryMax) {

    public static final String KEY_ENABLED = "ocsp.enabled";
    public static final String KEY_RESPONDER_URL = "ocsp.responderUrl";
    public static final String KEY_TIMEOUT = "ocsp.timeout";
    public static final String KEY_RETRY_MIN = "ocsp.retryMin";
    public static final String KEY_RETRY_MAX = "ocsp.retryMax";

    public OcspSettings {
        Objects.requireNonNull(timeout, KEY_TIMEOUT);
        Objects.requireNonNull(retryMin, KEY_RETRY_MIN);
        Objects.requireNonNull(retryMax, KEY_RETRY_MAX);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException(KEY_TIMEOUT + " must be more than zero, was " + timeout);
        }
        if (retryMin.isZero() || retryMin.isNegative()) {
            throw new IllegalArgumentException(KEY_RETRY_MIN + " must be more than zero, was " + retryMin);
        }
        if (retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException(KEY_RETRY_MAX + " must not be less than " + KEY_RETRY_MIN + " ("
                    + retryMin + "), was " + retryMax);
        }
        if (responderUrl != null && !"http".equalsIgnoreCase(responderUrl.getScheme())
                && !"https".equalsIgnoreCase(responderUrl.getScheme())) {
            throw new IllegalArgumentException(KEY_RESPONDER_URL + " must be an http URL, was " + responderUrl);
        }
        if (responderUrl != null && (responderUrl.getHost() == null || responderUrl.getPort() > 65_535)) {
            // Such a URL parses, but no HTTP client can ask it: say so at start-up, not at each fetch.
            throw new IllegalArgumentException(KEY_RESPONDER_URL + " must name a host (letters, digits, dots and "
                    + "hyphens; no underscore) and a port up to 65535, was " + responderUrl);
        }
    }

    /** Enabled, responder from the certificate, 5 s timeout, retries from 10 s up to 10 min. */
    public static OcspSettings defaults() {
        return new OcspSettings(true, null, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(10));
    }

    public static OcspSettings disabled() {
        return new OcspSettings(false, null, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMinutes(10));
    }

    public OcspSettings withResponderUrl(URI value) {
        return new OcspSettings(enabled, value, timeout, retryMin, retryMax);
    }

    public OcspSettings withRetry(Duration min, Duration max) {
        return new OcspSettings(enabled, responderUrl, timeout, min, max);
    }
}
