package io.tlswatch.validator;

import io.tlswatch.tlsserver.certificate.CertificateSettings;
import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.tlsserver.proxy.ProxySettings;
import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.tlsserver.tls.TlsSettings;
import io.tlswatch.validator.license.MachineCounter;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.TokenSettings;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the validator reads from its configuration, loaded once and checked at start-up. Every key,
 * its default and its meaning are listed in docs/validator.md; an unknown key is an error that names it.
 */
public record ValidatorConfig(
        String host, int port, String adminHost, int adminPort, URI publicUrl, String nodeName,
        int maxConnections, int maxConnectionsPerAddress, Duration handshakeTimeout, Duration idleTimeout,
        Duration requestTimeout, int maxHeaderBytes, int maxBodyBytes, Duration shutdownGrace,
        TlsSettings tls, Path devCertificateDir, List<String> devCertificateNames, CertificateSettings certificates,
        String tokenIssuer, String tokenAudience, Duration tokenLifetime, Duration tokenLeeway,
        SigningAlgorithm tokenAlgorithm, Path tokenKeyFile, Duration tokenRotateEvery, Duration dpopIatWindow,
        boolean proofRequired, MachineCounter.Limits machines, Duration readyTimeout,
        int eventBufferCapacity, boolean eventsEnabled, KafkaSettings kafka, ProxySettings proxy) {

    public static final Set<String> KEYS = keys(
            "server.host", "server.port", "admin.host", "admin.port", "server.publicUrl", "node.name",
            "server.maxConnections", "server.maxConnectionsPerAddress", "server.handshakeTimeout",
            "server.idleTimeout", "server.requestTimeout", "server.maxHeaderBytes", "server.maxBodyBytes",
            "server.shutdownGrace", ProxySettings.KEY_MODE, ProxySettings.KEY_TRUSTED,
            TlsSettings.KEY_PROTOCOLS, TlsSettings.KEY_CIPHER_SUITES, TlsSettings.KEY_GROUPS,
            TlsSettings.KEY_CERTIFICATE, "tls.privateKey", "tls.keyPasswordEnv", "tls.keyPasswordFile",
            TlsSettings.KEY_CLIENT_AUTH, TlsSettings.KEY_CLIENT_CA_FILE, TlsSettings.KEY_ALLOW_INSECURE,
            TlsSettings.KEY_PROVIDER, "tls.devCertificateDir", DevCertificates.KEY_NAMES,
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
        String node = c.string("node.name", ConfigSource.localHostName());
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
                c.positiveDuration("server.handshakeTimeout", Duration.ofSeconds(10)),
                c.positiveDuration("server.idleTimeout", Duration.ofSeconds(60)),
                c.positiveDuration("server.requestTimeout", Duration.ofSeconds(10)),
                c.integer("server.maxHeaderBytes", 8 * 1024, 1024, 1024 * 1024),
                c.integer("server.maxBodyBytes", 64 * 1024, 1024, 16 * 1024 * 1024),
                c.positiveDuration("server.shutdownGrace", Duration.ofSeconds(10)),
                tls, c.optional("tls.devCertificateDir").map(Path::of).orElse(null),
                ConfigSource.checked(DevCertificates.KEY_NAMES, () -> DevCertificates.hostNames(
                        Optional.ofNullable(c.list(DevCertificates.KEY_NAMES, null)))),
                CertificateSettings.from(c, "validator", tls.certificate()),
                c.string("token.issuer", publicUrl.toString()),
                c.string("token.audience", "tlswatch-client"),
                c.positiveDuration("token.lifetime", Duration.ofMinutes(15)),
                c.duration("token.leeway", Duration.ofSeconds(60)),
                algorithm(c.string("token.algorithm", "EdDSA")),
                c.optional("token.keyFile").map(Path::of).orElse(null),
                c.duration("token.rotateEvery", Duration.ofDays(1)),
                c.positiveDuration("dpop.iatWindow", Duration.ofSeconds(60)),
                c.bool("licenses.proofRequired", true),
                ConfigSource.checked("licenses.machinesPerLicenseCap", () -> new MachineCounter.Limits(
                        c.positiveDuration("licenses.machineWindow", defaults.window()),
                        c.integer("licenses.machinesPerLicenseCap", defaults.perLicense(), 1, Integer.MAX_VALUE),
                        c.integer("licenses.machinesTotalCap", defaults.total(), 1, Integer.MAX_VALUE))),
                c.positiveDuration("licenses.readyTimeout", Duration.ofSeconds(60)),
                c.integer("events.bufferCapacity", 10_000, 1, 10_000_000),
                c.bool("events.enabled", true),
                ConfigSource.checked("kafka.bootstrap.servers", () -> KafkaSettings.fromPrefixed(c.all(), "localhost:9092")),
                ProxySettings.from(c));
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
