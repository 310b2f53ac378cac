package io.tlswatch.validator;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.config.RenamedKeys;
import io.tlswatch.tlsserver.host.ServerSettings;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.TlsSettings;
import io.tlswatch.validator.admin.AdminApiSettings;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.TokenSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the validator reads from its configuration, loaded once and checked at start-up. Every key,
 * its default and its meaning are listed in docs/validator.md; an unknown key is an error that names it.
 *
 * @param server what every TLS service reads alike (listen address, limits, TLS, Kafka)
 * @param port     the HTTPS port of the license API ({@code https.port})
 * @param machineWindow            the default machine window ({@code licenses.machineWindow}); a policy may set
 *                                 its own
 * @param machineActivationTimeout how long an activation waits for its row to be written and read back
 *                                 ({@code licenses.machineActivationTimeout})
 * @param machineCullInterval      how often each replica looks for lapsed machines
 *                                 ({@code licenses.machineCullInterval})
 * @param adminApi the admin API's listener ({@code admin.api.*}; off by default)
 */
public record ValidatorConfig(
        ServerSettings server, int port, URI publicUrl,
        String tokenIssuer, String tokenAudience, Duration tokenLifetime, Duration tokenLeeway,
        SigningAlgorithm tokenAlgorithm, Path tokenKeyFile, Duration tokenRotateEvery, Duration dpopIatWindow,
        boolean proofRequired, Duration machineWindow, Duration machineActivationTimeout,
        Duration machineCullInterval, boolean eventsEnabled, AdminApiSettings adminApi) {

    private static final Logger log = LoggerFactory.getLogger(ValidatorConfig.class);
    /** The per-process machine counter's caps: accepted, with a warning, for one release; they do nothing. */
    private static final List<String> RETIRED = List.of("licenses.machinesPerLicenseCap", "licenses.machinesTotalCap");

    public static final Set<String> KEYS = ServerSettings.keysWith(
            "admin.api.port", "admin.api.requestsPerMinute", "admin.api.writeTimeout",
            "https.port", "server.publicUrl",
            TlsSettings.KEY_CLIENT_AUTH, TlsSettings.KEY_CLIENT_CA_FILE, TlsSettings.KEY_ALLOW_INSECURE,
            "token.issuer", "token.audience", "token.lifetime", "token.leeway", "token.algorithm", "token.keyFile", "token.rotateEvery",
            "dpop.iatWindow",
            "licenses.proofRequired", "licenses.machineWindow", "licenses.machineActivationTimeout",
            "licenses.machineCullInterval", "licenses.machinesPerLicenseCap", "licenses.machinesTotalCap",
            "events.enabled");

    /** Keys renamed to be the same in every service; the old names work, with a warning, for one release. */
    public static final RenamedKeys RENAMED = ServerSettings.RENAMED.and(RenamedKeys.of(
            "server.port", "https.port", "licenses.readyTimeout", ServerSettings.KEY_STARTUP_TIMEOUT));

    private static final ServerSettings.Defaults SERVER_DEFAULTS = new ServerSettings.Defaults("validator", 9401,
            64 * 1024);

    public static ValidatorConfig load(Path file, Map<String, String> environment) {
        return from(ConfigSource.load(file, environment, KEYS, List.of(KafkaSettings.PREFIX), RENAMED));
    }

    public static ValidatorConfig defaults() {
        return from(ConfigSource.of(Map.of()));
    }

    public static ValidatorConfig from(ConfigSource source) {
        ConfigSource c = RENAMED.applyTo(source);
        int port = c.integer("https.port", 8443, 0, 65_535);
        ServerSettings server = ServerSettings.from(c, SERVER_DEFAULTS, tls(c));
        URI publicUrl;
        try {
            publicUrl = URI.create(c.string("server.publicUrl", "https://localhost:" + (port == 0 ? 8443 : port)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("server.publicUrl must be a URL such as https://licenses.example.com, was '"
                    + c.string("server.publicUrl", "") + "'");
        }
        if (!"https".equalsIgnoreCase(publicUrl.getScheme()) || publicUrl.getHost() == null) {
            throw new ConfigException("server.publicUrl must be an https URL with a host, was " + publicUrl);
        }
        for (String key : RETIRED) {
            if (c.optional(key).isPresent()) {
                log.warn("{} has no effect any more: machines are counted in tlswatch.machines.v1, shared by every "
                        + "replica (docs/licenses.md, \"Machines\"); remove it", key);
            }
        }
        ValidatorConfig config = new ValidatorConfig(server, port, publicUrl,
                c.string("token.issuer", publicUrl.toString()),
                c.string("token.audience", "tlswatch-client"),
                c.positiveDuration("token.lifetime", Duration.ofMinutes(15)),
                c.duration("token.leeway", Duration.ofSeconds(60)),
                algorithm(c.string("token.algorithm", "EdDSA")),
                c.optional("token.keyFile").map(Path::of).orElse(null),
                c.duration("token.rotateEvery", Duration.ofDays(1)),
                c.positiveDuration("dpop.iatWindow", Duration.ofSeconds(60)),
                c.bool("licenses.proofRequired", true),
                c.positiveDuration("licenses.machineWindow", Duration.ofHours(24)),
                c.positiveDuration("licenses.machineActivationTimeout", Duration.ofSeconds(5)),
                c.positiveDuration("licenses.machineCullInterval", Duration.ofSeconds(10)),
                c.bool("events.enabled", true),
                AdminApiSettings.from(c));
        // The token and proof settings check their own ranges; checking them here names the key at start-up,
        // before anything connects to Kafka.
        ConfigSource.checked("token.lifetime", () -> config.tokenSettings());
        ConfigSource.checked("dpop.iatWindow", () -> config.dpopSettings());
        return config;
    }

    /** The token settings this configuration describes. */
    public TokenSettings tokenSettings() {
        return TokenSettings.defaults(tokenIssuer, tokenAudience).withLifetime(tokenLifetime).withLeeway(tokenLeeway);
    }

    public DpopSettings dpopSettings() {
        return DpopSettings.defaults().withIatWindow(dpopIatWindow);
    }

    /** The public URI of an endpoint: {@code server.publicUrl} with its path (a proxy's prefix) kept. */
    public URI publicUri(String path) {
        String base = publicUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private static TlsSettings tls(ConfigSource c) {
        TlsSettings defaults = TlsSettings.mozillaIntermediate();
        CertificateSource certificate = CertificateSource.fromConfig(c);
        return new TlsSettings(
                c.list(TlsSettings.KEY_PROTOCOLS, defaults.protocols()),
                c.list(TlsSettings.KEY_CIPHER_SUITES, defaults.cipherSuites()),
                c.list(TlsSettings.KEY_GROUPS, defaults.groups()),
                certificate,
                c.enumValue(TlsSettings.KEY_CLIENT_AUTH, TlsSettings.ClientAuthMode.class, defaults.clientAuth()),
                c.optional(TlsSettings.KEY_CLIENT_CA_FILE).map(Path::of).orElse(null),
                c.bool(TlsSettings.KEY_ALLOW_INSECURE, false),
                c.enumValue(TlsSettings.KEY_PROVIDER, TlsSettings.ProviderPreference.class, defaults.provider()));
    }

    private static SigningAlgorithm algorithm(String value) {
        try {
            return SigningAlgorithm.parse(value);
        } catch (RuntimeException e) {
            throw new ConfigException("token.algorithm must be EdDSA or ES256, was '" + value + "'");
        }
    }
}
