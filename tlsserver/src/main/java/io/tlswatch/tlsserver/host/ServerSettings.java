package io.tlswatch.tlsserver.host;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.config.RenamedKeys;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.tlsserver.certificate.CertificateSettings;
import io.tlswatch.tlsserver.proxy.ProxySettings;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.tlsserver.tls.TlsSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What every TLS service reads alike: where it listens, its connection and request limits, how long start-up and
 * shutdown may take, its TLS and certificate settings, its event buffer and Kafka. The ports are a service's own
 * (the validator has one, the collector two), and so is the TLS profile it defaults to.
 *
 * @param host                     the interface the service's listeners bind
 * @param adminHost                the interface the admin port binds
 * @param adminPort                the admin port (metrics, health)
 * @param nodeName                 this instance's name: the {@code source} of what it emits is {@code service@node}
 * @param maxConnections           open connections per listener at most
 * @param maxConnectionsPerAddress open connections per client address at most
 * @param handshakeTimeout         how long a TLS handshake may take
 * @param idleTimeout              a connection idle this long is closed
 * @param requestTimeout           how long a request may take to arrive once its first byte did (408 beyond)
 * @param maxHeaderBytes           the largest request head
 * @param maxBodyBytes             the largest request body
 * @param startupTimeout           how long start-up waits for Kafka (topics, and what the service reads first)
 * @param shutdownGrace            how long shutdown waits for in-flight requests, and for each step after them
 * @param tls                      protocols, suites, groups and the certificate files
 * @param devCertificateDir        where development certificates are generated when none is configured
 * @param devCertificateNames      their DNS names besides localhost
 * @param certificates             how the certificate is watched, checked and stapled
 * @param eventBufferCapacity      events held while Kafka is slow, beyond which new ones are dropped and counted
 * @param kafka                    bootstrap servers, pass-through client settings, and how topics are named
 *                                 and created (docs/kafka.md)
 * @param proxy                    whether (and from whom) a PROXY protocol header is read
 */
public record ServerSettings(
        String host, String adminHost, int adminPort, String nodeName,
        int maxConnections, int maxConnectionsPerAddress, Duration handshakeTimeout, Duration idleTimeout,
        Duration requestTimeout, int maxHeaderBytes, int maxBodyBytes, Duration startupTimeout, Duration shutdownGrace,
        TlsSettings tls, Path devCertificateDir, List<String> devCertificateNames, CertificateSettings certificates,
        int eventBufferCapacity, KafkaSettings kafka, ProxySettings proxy) {

    public static final String KEY_STARTUP_TIMEOUT = "startup.timeout";
    public static final String KEY_SHUTDOWN_GRACE = "shutdown.grace";

    /** The keys {@link #from} reads; a service adds its own (ports, and TLS keys beyond these). */
    public static final Set<String> KEYS = keys(
            "server.host", "admin.host", "admin.port", "node.name",
            "server.maxConnections", "server.maxConnectionsPerAddress", "server.handshakeTimeout",
            "server.idleTimeout", "server.requestTimeout", "server.maxHeaderBytes", "server.maxBodyBytes",
            KEY_STARTUP_TIMEOUT, KEY_SHUTDOWN_GRACE, ProxySettings.KEY_MODE, ProxySettings.KEY_TRUSTED,
            TlsSettings.KEY_PROTOCOLS, TlsSettings.KEY_CIPHER_SUITES, TlsSettings.KEY_GROUPS,
            TlsSettings.KEY_CERTIFICATE, "tls.privateKey", "tls.keyPasswordEnv", "tls.keyPasswordFile",
            TlsSettings.KEY_PROVIDER, "tls.devCertificateDir", DevCertificates.KEY_NAMES, "events.bufferCapacity");


    /** Names these settings had before they were shared; accepted, with a warning, for one release. */
    public static final RenamedKeys RENAMED = RenamedKeys.of("server.shutdownGrace", KEY_SHUTDOWN_GRACE);

    /** What differs between services: the name their certificate is reported under, and two defaults. */
    public record Defaults(String certificateName, int adminPort, int maxBodyBytes) {
    }

    private static Set<String> keys(String... own) {
        Set<String> keys = new HashSet<>(Set.of(own));
        keys.addAll(CertificateSettings.KEYS);
        keys.addAll(TopicSettings.KEYS);
        return Set.copyOf(keys);
    }

    /** A service's known keys: its own plus these shared ones. */
    public static Set<String> keysWith(String... own) {
        Set<String> keys = new HashSet<>(Set.of(own));
        keys.addAll(KEYS);
        return Set.copyOf(keys);
    }

    /** @param tls the service's TLS settings, read by the service as its profile and keys differ */
    public static ServerSettings from(ConfigSource c, Defaults defaults, TlsSettings tls) {
        return new ServerSettings(
                c.string("server.host", "0.0.0.0"),
                c.string("admin.host", "0.0.0.0"), c.integer("admin.port", defaults.adminPort(), 0, 65_535),
                c.string("node.name", ConfigSource.localHostName()),
                c.integer("server.maxConnections", 10_000, 1, 1_000_000),
                c.integer("server.maxConnectionsPerAddress", 256, 1, 1_000_000),
                c.positiveDuration("server.handshakeTimeout", Duration.ofSeconds(10)),
                c.positiveDuration("server.idleTimeout", Duration.ofSeconds(60)),
                c.positiveDuration("server.requestTimeout", Duration.ofSeconds(10)),
                c.integer("server.maxHeaderBytes", 8 * 1024, 1024, 1024 * 1024),
                c.integer("server.maxBodyBytes", defaults.maxBodyBytes(), 1024, 16 * 1024 * 1024),
                c.positiveDuration(KEY_STARTUP_TIMEOUT, Duration.ofSeconds(60)),
                c.positiveDuration(KEY_SHUTDOWN_GRACE, Duration.ofSeconds(10)),
                tls, c.optional("tls.devCertificateDir").map(Path::of).orElse(null),
                ConfigSource.checked(DevCertificates.KEY_NAMES, () -> DevCertificates.hostNames(
                        Optional.ofNullable(c.list(DevCertificates.KEY_NAMES, null)))),
                CertificateSettings.from(c, defaults.certificateName(), tls.certificate()),
                c.integer("events.bufferCapacity", 10_000, 1, 10_000_000),
                ConfigSource.checked("kafka.bootstrap.servers",
                        () -> KafkaSettings.fromPrefixed(c.all(), "localhost:9092")),
                ProxySettings.from(c));
    }
}
