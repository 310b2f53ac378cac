package io.tlswatch.tlsserver.certificate;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.tlsserver.tls.CertificateSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the certificate manager serves and how it watches it.
 *
 * @param name             the certificate's name: the key of its events and the {@code certificate} tag of its meters
 * @param source           the files holding key and chain; {@code null} while none is configured (a service that
 *                         then generates development certificates fills it in with {@link #withSource})
 * @param trustAnchors     PEM file of the CAs a chain must end at; {@code null} to check only that the chain is in
 *                         order (each certificate issued by the next)
 * @param watchInterval    how often the files are read and compared (file events trigger a check sooner);
 *                         zero turns watching off
 * @param minValidityAhead new material is refused unless its leaf stays valid at least this long from now
 * @param expiryWarnDays   days-before-expiry thresholds, each crossed one raising one {@code expiring} event
 * @param ocsp             OCSP fetching and stapling
 */
public record CertificateSettings(String name, CertificateSource source, Path trustAnchors, Duration watchInterval,
                                  Duration minValidityAhead, List<Integer> expiryWarnDays, OcspSettings ocsp) {

    public static final String KEY_NAME = "tls.certificateName";
    public static final String KEY_TRUST_ANCHORS = "tls.trustAnchors";
    public static final String KEY_WATCH_INTERVAL = "tls.watch.interval";
    public static final String KEY_MIN_VALIDITY_AHEAD = "tls.minValidityAhead";
    public static final String KEY_EXPIRY_WARN_DAYS = "tls.expiryWarnDays";

    /** Every key {@link #from} reads, for a service's list of known keys. */
    public static final Set<String> KEYS = Set.of(KEY_NAME, KEY_TRUST_ANCHORS, KEY_WATCH_INTERVAL,
            KEY_MIN_VALIDITY_AHEAD, KEY_EXPIRY_WARN_DAYS, OcspSettings.KEY_ENABLED, OcspSettings.KEY_RESPONDER_URL,
            OcspSettings.KEY_TIMEOUT, OcspSettings.KEY_RETRY_MIN, OcspSettings.KEY_RETRY_MAX);

    public static final Duration DEFAULT_WATCH_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MIN_VALIDITY_AHEAD = Duration.ofHours(1);
    public static final List<Integer> DEFAULT_EXPIRY_WARN_DAYS = List.of(30, 14, 7, 1);

    public CertificateSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(KEY_NAME + " must not be empty");
        }
        Objects.requireNonNull(watchInterval, KEY_WATCH_INTERVAL);
        Objects.requireNonNull(minValidityAhead, KEY_MIN_VALIDITY_AHEAD);
        Objects.requireNonNull(ocsp, "ocsp");
        List<Integer> days = new ArrayList<>(expiryWarnDays);
        for (Integer d : days) {
            if (d == null || d < 1) {
                throw new IllegalArgumentException(KEY_EXPIRY_WARN_DAYS + " must hold whole days of at least 1, was "
                        + expiryWarnDays);
            }
        }
        days = days.stream().distinct().sorted(Comparator.reverseOrder()).toList();
        expiryWarnDays = List.copyOf(days);
    }

    /** Defaults for everything but what is served. */
    public static CertificateSettings defaults(String name, CertificateSource source) {
        return new CertificateSettings(name, source, null, DEFAULT_WATCH_INTERVAL, DEFAULT_MIN_VALIDITY_AHEAD,
                DEFAULT_EXPIRY_WARN_DAYS, OcspSettings.defaults());
    }

    /**
     * Reads the {@link #KEYS} of a service's configuration; the source itself comes from the service's
     * {@code tls.certificate} keys ({@code null} when there is none yet).
     *
     * @throws ConfigException naming the key of a value that cannot be used
     */
    public static CertificateSettings from(ConfigSource c, String defaultName, CertificateSource source) {
        String name = c.string(KEY_NAME, defaultName);
        Path anchors = c.optional(KEY_TRUST_ANCHORS).map(Path::of).orElse(null);
        Duration interval = c.duration(KEY_WATCH_INTERVAL, DEFAULT_WATCH_INTERVAL);
        Duration ahead = c.duration(KEY_MIN_VALIDITY_AHEAD, DEFAULT_MIN_VALIDITY_AHEAD);
        List<Integer> days = new ArrayList<>();
        for (String item : c.list(KEY_EXPIRY_WARN_DAYS, DEFAULT_EXPIRY_WARN_DAYS.stream().map(String::valueOf).toList())) {
            try {
                days.add(Integer.parseInt(item));
            } catch (NumberFormatException e) {
                throw new ConfigException(KEY_EXPIRY_WARN_DAYS + " must be whole days separated by commas, such as "
                        + "30, 14, 7, 1; was '" + item + "'");
            }
        }
        OcspSettings defaults = OcspSettings.defaults();
        URI responder;
        try {
            responder = c.optional(OcspSettings.KEY_RESPONDER_URL).map(URI::create).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(OcspSettings.KEY_RESPONDER_URL + " must be a URL such as "
                    + "http://ocsp.example.com, was '" + c.string(OcspSettings.KEY_RESPONDER_URL, "") + "'");
        }
        try {
            OcspSettings ocsp = new OcspSettings(c.bool(OcspSettings.KEY_ENABLED, defaults.enabled()), responder,
                    c.duration(OcspSettings.KEY_TIMEOUT, defaults.timeout()),
                    c.duration(OcspSettings.KEY_RETRY_MIN, defaults.retryMin()),
                    c.duration(OcspSettings.KEY_RETRY_MAX, defaults.retryMax()));
            return new CertificateSettings(name, source, anchors, interval, ahead, days, ocsp);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public CertificateSettings withSource(CertificateSource value) {
        return new CertificateSettings(name, value, trustAnchors, watchInterval, minValidityAhead, expiryWarnDays, ocsp);
    }

    public CertificateSettings withTrustAnchors(Path value) {
        return new CertificateSettings(name, source, value, watchInterval, minValidityAhead, expiryWarnDays, ocsp);
    }

    public CertificateSettings withWatchInterval(Duration value) {
        return new CertificateSettings(name, source, trustAnchors, value, minValidityAhead, expiryWarnDays, ocsp);
    }

    public CertificateSettings withMinValidityAhead(Duration value) {
        return new CertificateSettings(name, source, trustAnchors, watchInterval, value, expiryWarnDays, ocsp);
    }

    public CertificateSettings withExpiryWarnDays(List<Integer> value) {
        return new CertificateSettings(name, source, trustAnchors, watchInterval, minValidityAhead, value, ocsp);
    }

    public CertificateSettings withOcsp(OcspSettings value) {
        return new CertificateSettings(name, source, trustAnchors, watchInterval, minValidityAhead, expiryWarnDays, value);
    }
}
