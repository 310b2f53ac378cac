package io.tlswatch.collector.config;

import io.tlswatch.collector.ingest.Plausibility;
import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.config.RenamedKeys;
import io.tlswatch.tlsserver.host.ServerSettings;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.TlsSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the collector reads from its configuration, loaded once and checked at start-up. Every key, its
 * default and its meaning are listed in docs/collector.md; an unknown key is an error that names it.
 *
 * @param server    what every TLS service reads alike (listen address, limits, TLS, Kafka)
 * @param httpPort  the plain HTTP port ({@code http.port})
 * @param httpsPort the HTTPS port ({@code https.port}), -1 for none
 */
public record CollectorConfig(
        ServerSettings server, int httpPort, int httpsPort,
        int maxBatchCount, Plausibility plausibility,
        RateLimit perAddress, RateLimit perClient, int rateLimitKeys,
        Duration dedupWindow, int dedupCapacity,
        Duration ackTimeout, int maxInFlight, Duration retryAfter) {

    /** A token bucket: {@code perSecond} on average, {@code burst} at once. */
    public record RateLimit(double perSecond, int burst) {
    }

    public static final Set<String> KEYS = ServerSettings.keysWith(
            "http.port", "https.port",
            "reports.maxBatchCount", "reports.futureSkew", "reports.maxAge",
            "limits.perAddress.perSecond", "limits.perAddress.burst", "limits.perClient.perSecond",
            "limits.perClient.burst", "limits.trackedKeys",
            "dedup.window", "dedup.capacity",
            "server.ackTimeout", "server.maxInFlight", "server.retryAfter");

    /** Keys renamed to be the same in every service; the old names work, with a warning, for one release. */
    public static final RenamedKeys RENAMED = ServerSettings.RENAMED.and(RenamedKeys.of(
            "server.readyTimeout", ServerSettings.KEY_STARTUP_TIMEOUT));

    private static final ServerSettings.Defaults SERVER_DEFAULTS = new ServerSettings.Defaults("collector", 9402,
            1024 * 1024);

    public static CollectorConfig load(Path file, Map<String, String> environment) {
        return from(ConfigSource.load(file, environment, KEYS, List.of(KafkaSettings.PREFIX), RENAMED));
    }

    public static CollectorConfig defaults() {
        return from(ConfigSource.of(Map.of()));
    }

    public static CollectorConfig from(ConfigSource source) {
        ConfigSource c = RENAMED.applyTo(source);
        int httpPort = c.integer("http.port", 8080, 0, 65_535);
        int httpsPort = c.integer("https.port", 8444, -1, 65_535);
        return new CollectorConfig(
                ServerSettings.from(c, SERVER_DEFAULTS, tls(c)), httpPort, httpsPort,
                c.integer("reports.maxBatchCount", 500, 1, 100_000),
                new Plausibility(c.duration("reports.futureSkew", Plausibility.DEFAULTS.futureSkew()),
                        c.positiveDuration("reports.maxAge", Plausibility.DEFAULTS.maxAge())),
                new RateLimit(rate(c, "limits.perAddress.perSecond", 100),
                        c.integer("limits.perAddress.burst", 200, 1, 10_000_000)),
                new RateLimit(rate(c, "limits.perClient.perSecond", 10),
                        c.integer("limits.perClient.burst", 600, 1, 10_000_000)),
                c.integer("limits.trackedKeys", 100_000, 1, 10_000_000),
                c.positiveDuration("dedup.window", Duration.ofHours(1)),
                c.integer("dedup.capacity", 500_000, 1, 50_000_000),
                c.positiveDuration("server.ackTimeout", Duration.ofSeconds(10)),
                c.integer("server.maxInFlight", 2_000, 1, 1_000_000),
                c.positiveDuration("server.retryAfter", Duration.ofSeconds(5)));
    }

    /** Whether the HTTPS listener runs ({@code https.port=-1} turns it off). */
    public boolean httpsEnabled() {
        return httpsPort >= 0;
    }

    private static double rate(ConfigSource c, String key, double defaultValue) {
        String raw = c.string(key, null);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw);
            if (!(value > 0) || value > 1e9) {
                throw new ConfigException(key + " must be more than 0, was " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a number such as 10 or 0.5, was '" + raw + "'");
        }
    }

    /**
     * The broad profile by default (TLS 1.0 to 1.3, CBC and RSA key exchange), and always with
     * {@code allowInsecure}: this listener exists to hear from the outdated clients the license server refuses,
     * and the reports it carries hold no secrets (docs/collector.md). Protocols, suites and groups may be
     * narrowed by configuration.
     */
    private static TlsSettings tls(ConfigSource c) {
        TlsSettings defaults = TlsSettings.insecureBroad();
        CertificateSource certificate = CertificateSource.fromConfig(c);
        return new TlsSettings(
                c.list(TlsSettings.KEY_PROTOCOLS, defaults.protocols()),
                c.list(TlsSettings.KEY_CIPHER_SUITES, defaults.cipherSuites()),
                c.list(TlsSettings.KEY_GROUPS, defaults.groups()),
                certificate, TlsSettings.ClientAuthMode.NONE, null, true,
                c.enumValue(TlsSettings.KEY_PROVIDER, TlsSettings.ProviderPreference.class, defaults.provider()));
    }
}
