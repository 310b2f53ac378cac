package io.tlswatch.devkafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real single-node Kafka (KRaft broker and controller in one process) running inside this JVM.
 *
 * <p>It exists so that tests, the demo and a developer's laptop get a genuine broker without Docker:
 * the storage is formatted exactly as {@code kafka-storage.sh format} would, then {@link KafkaRaftServer}
 * runs it. Settings are tuned for a small footprint (one core, a few hundred MiB of heap), not for
 * throughput.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int BIND_ATTEMPTS = 3;
    private static final String META_PROPERTIES = "meta.properties";

    private final Options options;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final int port;
    private final KafkaRaftServer server;
    private final Duration startupTime;
    private final Optional<BrokerSecurity> security;
    private boolean closed;

    private EmbeddedKafka(Options options, Path dataDir, boolean ownsDataDir, int port,
                          KafkaRaftServer server, Duration startupTime, Optional<BrokerSecurity> security) {
        this.options = options;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.port = port;
        this.server = server;
        this.startupTime = startupTime;
        this.security = security;
    }

    /**
     * Options for {@link #start(Options)}; {@code port} 0 picks a free port, a null {@code dataDir} a temporary one,
     * {@code security} secures the client listener (off by default).
     */
    public record Options(int port, Path dataDir, Duration startupTimeout, Map<String, String> brokerOverrides,
                          Security security) {
        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
            brokerOverrides = brokerOverrides == null ? Map.of() : Map.copyOf(brokerOverrides);
            security = security == null ? Security.off() : security;
        }

        public Options(int port, Path dataDir, Duration startupTimeout, Map<String, String> brokerOverrides) {
            this(port, dataDir, startupTimeout, brokerOverrides, Security.off());
        }

        public static Options defaults() {
            return new Options(0, null, Duration.ofSeconds(60), Map.of(), Security.off());
        }

        public Options withPort(int newPort) {
            return new Options(newPort, dataDir, startupTimeout, brokerOverrides, security);
        }

        public Options withDataDir(Path newDataDir) {
            return new Options(port, newDataDir, startupTimeout, brokerOverrides, security);
        }

        public Options withStartupTimeout(Duration timeout) {
            return new Options(port, dataDir, timeout, brokerOverrides, security);
        }

        public Options withBrokerOverrides(Map<String, String> overrides) {
            return new Options(port, dataDir, startupTimeout, overrides, security);
        }

        public Options withSecurity(Security newSecurity) {
            return new Options(port, dataDir, startupTimeout, brokerOverrides, newSecurity);
        }
    }

    /** Starts a broker on a free port with a temporary data directory that is deleted on close. */
    public static EmbeddedKafka start() {
        return start(Options.defaults());
    }

    /**
     * Formats the storage (unless the data directory already holds a formatted node), starts the broker and
     * returns once an Admin client sees it serving, or fails with the reason.
     */
    public static EmbeddedKafka start(Options options) {
        long begin = System.nanoTime();
        if (options.port() != 0) {
            LocalBroker.requireFree(options.port());
        }
        boolean ownsDataDir = options.dataDir() == null;
        Path dataDir = ownsDataDir ? LocalBroker.createTempDir("tlswatch-kafka-") : options.dataDir();
        Optional<BrokerSecurity> security;
        try {
            security = BrokerSecurity.prepare(options.security(), dataDir);
        } catch (RuntimeException e) {
            if (ownsDataDir) {
                LocalBroker.deleteRecursively(dataDir);
            }
            throw e;
        }
        RuntimeException lastFailure = null;
        // A free port found by binding and releasing can be taken by someone else before Kafka binds it;
        // retrying with new ports makes that race harmless. A fixed port is tried once.
        int attempts = options.port() == 0 ? BIND_ATTEMPTS : 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int port = options.port() == 0 ? LocalBroker.freePort() : options.port();
            int controllerPort = LocalBroker.freePort();
            // Secured, the broker reaches itself over a PLAINTEXT listener of its own (BrokerSecurity).
            int internalPort = security.isPresent() ? LocalBroker.freePort() : port;
            KafkaRaftServer server = null;
            try {
                Map<String, String> securityConfig = security
                        .map(s -> s.brokerConfig(port, internalPort, CONTROLLER_LISTENER, controllerPort))
                        .orElse(Map.of());
                Map<String, String> config = brokerConfig(dataDir, port, controllerPort, securityConfig,
                        options.brokerOverrides());
                KafkaConfig kafkaConfig = new KafkaConfig(config, false);
                format(kafkaConfig, dataDir);
                server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
                server.startup();
                awaitServing(internalPort, options.startupTimeout());
                security.ifPresent(s -> s.createUsersAndAwait("localhost:" + internalPort, "localhost:" + port,
                        options.startupTimeout()));
                Duration took = Duration.ofNanos(System.nanoTime() - begin);
                log.info("Embedded Kafka ready on localhost:{} ({}) in {} ms (data in {})", port,
                        security.isPresent() ? "SASL_SSL, ACLs" : "PLAINTEXT", took.toMillis(), dataDir);
                return new EmbeddedKafka(options, dataDir, ownsDataDir, port, server, took, security);
            } catch (RuntimeException e) {
                lastFailure = e;
                shutdownQuietly(server);
                log.warn("Embedded Kafka failed to start on port {} (attempt {}/{}): {}", port, attempt, attempts,
                        e.toString());
            }
        }
        if (ownsDataDir) {
            LocalBroker.deleteRecursively(dataDir);
        }
        throw new IllegalStateException("Embedded Kafka did not start: " + lastFailure.getMessage(), lastFailure);
    }

    /** The node's configuration; {@code security} replaces the listeners, and {@code overrides} win over all. */
    static Map<String, String> brokerConfig(Path dataDir, int port, int controllerPort, Map<String, String> security,
                                            Map<String, String> overrides) {
        Map<String, String> c = new HashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", String.valueOf(NODE_ID));
        c.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
        c.put("listeners", BROKER_LISTENER + "://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:" + controllerPort);
        c.put("advertised.listeners", BROKER_LISTENER + "://localhost:" + port);
        c.put("controller.listener.names", CONTROLLER_LISTENER);
        c.put("inter.broker.listener.name", BROKER_LISTENER);
        c.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        c.put("log.dirs", dataDir.resolve("logs").toString());
        // A single node can only hold one replica of anything.
        c.put("offsets.topic.replication.factor", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        // Internal topics default to 50 partitions each; on one core creating them takes seconds.
        c.put("offsets.topic.num.partitions", "5");
        c.put("transaction.state.log.num.partitions", "5");
        c.put("group.initial.rebalance.delay.ms", "0");
        // The log cleaner allocates this buffer up front: 128 MiB by default, most of a small heap.
        c.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        c.put("log.cleaner.threads", "1");
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        c.put("num.recovery.threads.per.data.dir", "1");
        c.put("background.threads", "2");
        c.put("num.replica.fetchers", "1");
        // Topics come from the catalogue (TopicBootstrap); a typo must fail, not create a stray topic.
        c.put("auto.create.topics.enable", "false");
        c.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        c.putAll(security);
        c.putAll(overrides);
        return c;
    }

    /** Formats the storage, unless every log directory already holds a formatted node (kept across runs). */
    private static void format(KafkaConfig config, Path dataDir) {
        List<String> dirs = config.logDirs();
        if (dirs.stream().allMatch(dir -> Files.exists(Path.of(dir, META_PROPERTIES)))) {
            log.info("Reusing the formatted Kafka storage in {}", dataDir);
            return;
        }
        try {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setReleaseVersion(MetadataVersion.latestProduction());
            dirs.forEach(formatter::addDirectory);
            Files.createDirectories(dataDir);
            formatter.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed: " + e.getMessage(), e);
        }
    }

    private static void awaitServing(int port, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + port);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE));
        try (Admin admin = Admin.create(props)) {
            int nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            if (nodes < 1) {
                throw new IllegalStateException("broker on port " + port + " reports no nodes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("broker on port " + port + " is not serving: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("broker on port " + port + " not serving within " + timeout, e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Wall-clock time from {@link #start} until the broker answered an Admin client. */
    public Duration startupTime() {
        return startupTime;
    }

    public Options options() {
        return options;
    }

    /**
     * What a tlswatch service's configuration needs to reach this broker as {@code user}: {@code
     * kafka.bootstrap.servers} and, when security is on, the {@code kafka.*} SASL_SSL client settings.
     */
    public Map<String, String> clientSettings(String user) {
        return security.map(s -> s.clientSettings(bootstrapServers(), user))
                .orElseGet(() -> Map.of("kafka.bootstrap.servers", bootstrapServers()));
    }

    /** Stops the broker and controller and waits until they have, then removes a temporary data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long begin = System.nanoTime();
        shutdownQuietly(server);
        if (ownsDataDir) {
            LocalBroker.deleteRecursively(dataDir);
        }
        log.info("Embedded Kafka on port {} stopped in {} ms", port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    private static void shutdownQuietly(KafkaRaftServer server) {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Embedded Kafka shutdown failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers() + ", " + Optional.ofNullable(dataDir).orElse(null) + "]";
    }
}
