package io.tlswatch.validator;

import io.tlswatch.common.certificate.CertificateSettings;
import io.tlswatch.common.config.ConfigException;
import io.tlswatch.common.config.ConfigSource;
import io.tlswatch.common.kafka.KafkaSettings;
import io.tlswatch.validator.license.MachineCounter;
import io.tlswatch.common.tlsserver.CertificateSource;
import io.tlswatch.common.tlsserver.SecretSource;
import io.tlswatch.common.tlsserver.TlsSettings;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.TokenSettings;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything the validator reads from its configuration, loaded once and checked at start-up. Every key,
 * its default and its meaning are listed in docs/validator.md; an unknown key is an error that names it.
 */
public record ValidatorConfig(
        String host, int port, String adminHost, int adminPort, URI publicUrl, String nodeName,
        int maxConnections, int maxConnectionsPerAddress, Duration handshakeTimeout, Duration idleTimeout,
        Duration requestTimeout, int maxHeaderBytes, int maxBodyBytes, Duration shutdownGrace,
        TlsSettings tls, Path devCertificateDir, CertificateSettings certificates,
        String tokenIssuer, String tokenAudience, Duration tokenLifetime, Duration tokenLeeway,
        SigningAlgorithm tokenAlgorithm, Path tokenKeyFile, Duration tokenRotateEvery, Duration dpopIatWindow,
        boolean proofRequired, MachineCounter.Limits machines, Duration readyTimeout,
        int eventBufferCapacity, boolean eventsEnabled, KafkaSettings kafka) {

    public static final Set<String> KEYS = keys(
            "server.host", "server.port", "admin.host", "admin.port", "server.publicUrl", "node.name",
            "server.maxConnections", "server.maxConnectionsPerAddress", "server.handshakeTimeout",
            "server.idleTimeout", "server.requestTimeout", "server.maxHeaderBytes", "server.maxBodyBytes",
            "server.shutdownGrace",
            TlsSettings.KEY_PROTOCOLS, TlsSettings.KEY_CIPHER_SUITES, TlsSettings.KEY_GROUPS,
            TlsSettings.KEY_CERTIFICATE, "tls.privateKey", "tls.keyPasswordEnv", "tls.keyPasswordFile",
            TlsSettings.KEY_CLIENT_AUTH, TlsSettings.KEY_CLIENT_CA_FILE, TlsSettings.KEY_ALLOW_INSECURE,
            TlsSettings.KEY_PROVIDER, "tls.devCertificateDir",
            "token.issuer", "token.audience", "token.lifetime", "token.leeway", "token.algorithm", "token.keyFile", "token.rotateEvery",
            "dpop.iatWindow",
            "licenses.proofRequired", "licenses.machineWindow", "licenses.machinesPerLicenseCap",
            "licenses.machinesTotalCap", "licenses.readyTimeout",
            "events.bufferCapacity", "events.enabled");

    private static Set<String> keys(String... own) {
        Set<String> keys = new java.util.HashSet<>(Set.of(own));
        keys.addAll(CertificateSettings.KEYS);
        return Set.copyOf(keys);
    }

    public static ValidatorConfig load(Path file, Map<String, String> environment) {
        return from(ConfigSource.load(file, environment, KEYS, List.of(KafkaSettings.PREFIX)));
    }

    public static ValidatorConfig defaults() {
        return from(ConfigSource.of(Map.of()));
    }

    public static ValidatorConfig from(ConfigSource c) {
        int port = c.integer("server.port", 8443, 0, 65_535);
        String node = c.string("node.name", localHostName());
        TlsSettings tls = tls(c);
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
        MachineCounter.Limits defaults = MachineCounter.Limits.DEFAULTS;
        ValidatorConfig config = new ValidatorConfig(
                c.string("server.host", "0.0.0.0"), port,
                c.string("admin.host", "0.0.0.0"), c.integer("admin.port", 9401, 0, 65_535),
                publicUrl, node,
                c.integer("server.maxConnections", 10_000, 1, 1_000_000),
                c.integer("server.maxConnectionsPerAddress", 256, 1, 1_000_000),
                positive(c, "server.handshakeTimeout", Duration.ofSeconds(10)),
                positive(c, "server.idleTimeout", Duration.ofSeconds(60)),
                positive(c, "server.requestTimeout", Duration.ofSeconds(10)),
                c.integer("server.maxHeaderBytes", 8 * 1024, 1024, 1024 * 1024),
                c.integer("server.maxBodyBytes", 64 * 1024, 1024, 16 * 1024 * 1024),
                positive(c, "server.shutdownGrace", Duration.ofSeconds(10)),
                tls, c.optional("tls.devCertificateDir").map(Path::of).orElse(null),
                CertificateSettings.from(c, "validator", tls.certificate()),
                c.string("token.issuer", publicUrl.toString()),
                c.string("token.audience", "tlswatch-client"),
                positive(c, "token.lifetime", Duration.ofMinutes(15)),
                c.duration("token.leeway", Duration.ofSeconds(60)),
                algorithm(c.string("token.algorithm", "EdDSA")),
                c.optional("token.keyFile").map(Path::of).orElse(null),
                c.duration("token.rotateEvery", Duration.ofDays(1)),
                positive(c, "dpop.iatWindow", Duration.ofSeconds(60)),
                c.bool("licenses.proofRequired", true),
                checked("licenses.machinesPerLicenseCap", () -> new MachineCounter.Limits(
                        positive(c, "licenses.machineWindow", defaults.window()),
                        c.integer("licenses.machinesPerLicenseCap", defaults.perLicense(), 1, Integer.MAX_VALUE),
                        c.integer("licenses.machinesTotalCap", defaults.total(), 1, Integer.MAX_VALUE))),
                positive(c, "licenses.readyTimeout", Duration.ofSeconds(60)),
                c.integer("events.bufferCapacity", 10_000, 1, 10_000_000),
                c.bool("events.enabled", true),
                checked("kafka.bootstrap.servers", () -> KafkaSettings.fromPrefixed(c.all(), "localhost:9092")));
        // The token and proof settings check their own ranges; checking them here names the key at start-up,
        // before anything connects to Kafka.
        checked("token.lifetime", () -> config.tokenSettings());
        checked("dpop.iatWindow", () -> config.dpopSettings());
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

    private static <T> T checked(String key, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage() != null && e.getMessage().startsWith(key) ? e.getMessage()
                    : key + ": " + e.getMessage());
        }
    }

    private static TlsSettings tls(ConfigSource c) {
        TlsSettings defaults = TlsSettings.mozillaIntermediate();
        CertificateSource certificate = c.optional(TlsSettings.KEY_CERTIFICATE).map(path -> {
            SecretSource password = c.optional("tls.keyPasswordEnv").<SecretSource>map(SecretSource.EnvironmentVariable::new)
                    .or(() -> c.optional("tls.keyPasswordFile").map(f -> new SecretSource.File(Path.of(f))))
                    .orElse(SecretSource.none());
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".p12") || lower.endsWith(".pfx")) {
                return (CertificateSource) new CertificateSource.Pkcs12File(Path.of(path), password);
            }
            String key = c.optional("tls.privateKey").orElseThrow(() -> new ConfigException(
                    "tls.privateKey is required with a PEM tls.certificate (" + path + ")"));
            return new CertificateSource.PemFiles(Path.of(path), Path.of(key), password);
        }).orElse(null);
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

    private static Duration positive(ConfigSource c, String key, Duration defaultValue) {
        Duration value = c.duration(key, defaultValue);
        if (value.isZero()) {
            throw new ConfigException(key + " must be more than zero");
        }
        return value;
    }

    private static SigningAlgorithm algorithm(String value) {
        try {
            return SigningAlgorithm.parse(value);
        } catch (RuntimeException e) {
            throw new ConfigException("token.algorithm must be EdDSA or ES256, was '" + value + "'");
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
