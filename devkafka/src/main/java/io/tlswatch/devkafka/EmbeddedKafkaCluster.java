package io.tlswatch.devkafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A real Kafka cluster of several KRaft nodes in this JVM, each both broker and controller, with a controller
 * quorum of all of them, for tests that lose a broker (leader election, {@code min.insync.replicas}).
 *
 * <p>Each node has its own data directory and ports, kept across {@link #stop}/{@link #restart}, so a restarted
 * node comes back as the same broker with its logs. {@link #stop} is an in-JVM shutdown of the node (its broker
 * hands its leaderships over in a controlled shutdown, as a SIGTERM would): the JVM offers no way to kill part of
 * itself abruptly. The node configuration is {@link EmbeddedKafka}'s small-footprint one, with the replication
 * a real cluster has.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    private static final int FIRST_NODE_ID = 1;

    private final Options options;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final SortedMap<Integer, Node> nodes;
    private final Duration startupTime;
    private boolean closed;

    /** One node: its fixed configuration, and its server while it runs. */
    private static final class Node {
        final int id;
        final int port;
        final KafkaConfig config;
        volatile KafkaRaftServer server;

        Node(int id, int port, KafkaConfig config) {
            this.id = id;
            this.port = port;
            this.config = config;
        }
    }

    /**
     * Options for {@link #start(Options)}; {@code basePort} 0 picks free client ports, another gives node {@code n}
     * the port {@code basePort + n - 1}; a null {@code dataDir} is a temporary one (each node in a subdirectory
     * {@code node-<id>}); {@code featureLevels} are set when the storage is formatted (as {@code kafka-storage.sh
     * format --feature name=level} does), over the latest production release's.
     */
    public record Options(int nodes, int basePort, Path dataDir, Duration startupTimeout,
                          Map<String, String> brokerOverrides, Map<String, Short> featureLevels) {
        public Options {
            if (nodes < 1) {
                throw new IllegalArgumentException("nodes must be at least 1, was " + nodes);
            }
            if (basePort < 0 || basePort + nodes - 1 > 65_535) {
                throw new IllegalArgumentException("basePort must be 0, or leave room for " + nodes
                        + " ports up to 65535, was " + basePort);
            }
            if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
                throw new IllegalArgumentException("startupTimeout must be positive");
            }
            brokerOverrides = brokerOverrides == null ? Map.of() : Map.copyOf(brokerOverrides);
            featureLevels = featureLevels == null ? Map.of() : Map.copyOf(featureLevels);
        }

        /** Three nodes, a temporary data directory, 120 s to start (three brokers on one or two cores). */
        public static Options defaults() {
            return new Options(3, 0, null, Duration.ofSeconds(120), Map.of(), Map.of());
        }

        public Options withNodes(int count) {
            return new Options(count, basePort, dataDir, startupTimeout, brokerOverrides, featureLevels);
        }

        public Options withBasePort(int port) {
            return new Options(nodes, port, dataDir, startupTimeout, brokerOverrides, featureLevels);
        }

        public Options withDataDir(Path newDataDir) {
            return new Options(nodes, basePort, newDataDir, startupTimeout, brokerOverrides, featureLevels);
        }

        public Options withStartupTimeout(Duration timeout) {
            return new Options(nodes, basePort, dataDir, timeout, brokerOverrides, featureLevels);
        }

        public Options withBrokerOverrides(Map<String, String> overrides) {
            return new Options(nodes, basePort, dataDir, startupTimeout, overrides, featureLevels);
        }

        /** A feature's level for a newly formatted cluster, e.g. {@code transaction.version} 1. */
        public Options withFeatureLevel(String feature, short level) {
            Map<String, Short> levels = new HashMap<>(featureLevels);
            levels.put(feature, level);
            return new Options(nodes, basePort, dataDir, startupTimeout, brokerOverrides, levels);
        }

        /** Replicas of the internal topics and the default for new ones: three, or fewer on a smaller cluster. */
        public int replicationFactor() {
            return Math.min(3, nodes);
        }

        /** With {@code acks=all}, a write survives the loss of any one broker once two replicas have it. */
        public int minInsyncReplicas() {
            return Math.max(1, replicationFactor() - 1);
        }
    }

    private EmbeddedKafkaCluster(Options options, Path dataDir, boolean ownsDataDir, SortedMap<Integer, Node> nodes,
                                 Duration startupTime) {
        this.options = options;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.nodes = nodes;
        this.startupTime = startupTime;
    }

    /** Starts three nodes on free ports with a temporary data directory that is deleted on close. */
    public static EmbeddedKafkaCluster start() {
        return start(Options.defaults());
    }

    /**
     * Formats each node's storage (unless already formatted), starts every node, and returns once each broker
     * is registered with the quorum and answers an Admin client, or fails with the reason after stopping
     * whatever started.
     */
    public static EmbeddedKafkaCluster start(Options options) {
        long begin = System.nanoTime();
        boolean ownsDataDir = options.dataDir() == null;
        Path dataDir = ownsDataDir ? createTempDir() : options.dataDir();
        SortedMap<Integer, Node> nodes = configure(options, dataDir);
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(options, dataDir, ownsDataDir, nodes, Duration.ZERO);
        try {
            String clusterId = existingClusterId(dataDir).orElseGet(() -> Uuid.randomUuid().toString());
            nodes.values().forEach(node -> format(node, clusterId, options.featureLevels()));
            // A node's start-up waits for the quorum to elect a leader, which needs a majority of the nodes
            // running: they must start together.
            // (threads of their own: the common pool has a single thread on a two-core machine)
            List<CompletableFuture<Void>> starting = nodes.values().stream()
                    .map(node -> CompletableFuture.runAsync(() -> startNode(node),
                            task -> new Thread(task, "kafka-node-" + node.id + "-start").start()))
                    .toList();
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
                    .get(options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            cluster.awaitBrokers(nodes.keySet(), options.startupTimeout());
        } catch (RuntimeException | ExecutionException | TimeoutException e) {
            cluster.close();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("Embedded Kafka cluster of " + options.nodes() + " nodes did not start"
                    + " within " + options.startupTimeout() + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cluster.close();
            throw new IllegalStateException("interrupted while starting the Kafka cluster", e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        log.info("Embedded Kafka cluster of {} nodes ready on {} in {} ms (data in {})", nodes.size(),
                cluster.bootstrapServers(), took.toMillis(), dataDir);
        return new EmbeddedKafkaCluster(options, dataDir, ownsDataDir, nodes, took);
    }

    private static SortedMap<Integer, Node> configure(Options options, Path dataDir) {
        List<Integer> ids = IntStream.range(FIRST_NODE_ID, FIRST_NODE_ID + options.nodes()).boxed().toList();
        Map<Integer, Integer> ports = new HashMap<>();
        Map<Integer, Integer> controllerPorts = new HashMap<>();
        for (int id : ids) {
            ports.put(id, options.basePort() == 0 ? freePort() : requireFree(options.basePort() + id - FIRST_NODE_ID));
            controllerPorts.put(id, freePort());
        }
        String voters = ids.stream().map(id -> id + "@localhost:" + controllerPorts.get(id))
                .collect(Collectors.joining(","));
        String replication = String.valueOf(options.replicationFactor());
        String minIsr = String.valueOf(options.minInsyncReplicas());
        SortedMap<Integer, Node> nodes = new TreeMap<>();
        for (int id : ids) {
            Map<String, String> cluster = new HashMap<>();
            cluster.put("node.id", String.valueOf(id));
            cluster.put("controller.quorum.voters", voters);
            cluster.put("default.replication.factor", replication);
            cluster.put("min.insync.replicas", minIsr);
            cluster.put("offsets.topic.replication.factor", replication);
            cluster.put("transaction.state.log.replication.factor", replication);
            cluster.put("transaction.state.log.min.isr", minIsr);
            cluster.put("share.coordinator.state.topic.replication.factor", replication);
            cluster.put("share.coordinator.state.topic.min.isr", minIsr);
            cluster.putAll(options.brokerOverrides());
            Path nodeDir = dataDir.resolve("node-" + id);
            nodes.put(id, new Node(id, ports.get(id), new KafkaConfig(
                    EmbeddedKafka.brokerConfig(nodeDir, ports.get(id), controllerPorts.get(id), cluster), false)));
        }
        return nodes;
    }

    /** The cluster id a kept data directory was formatted with: every node must share it. */
    private static Optional<String> existingClusterId(Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dataDir, 3)) {
            return files.filter(p -> p.getFileName().toString().equals(META_PROPERTIES)).findFirst().map(p -> {
                Properties meta = new Properties();
                try (var in = Files.newInputStream(p)) {
                    meta.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return meta.getProperty("cluster.id");
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dataDir, e);
        }
    }

    private static void format(Node node, String clusterId, Map<String, Short> featureLevels) {
        List<String> dirs = node.config.logDirs();
        if (dirs.stream().allMatch(dir -> Files.exists(Path.of(dir, META_PROPERTIES)))) {
            return;
        }
        try {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(node.id)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(node.config.metadataLogDir())
                    .setReleaseVersion(MetadataVersion.latestProduction());
            featureLevels.forEach(formatter::setFeatureLevel);
            for (String dir : dirs) {
                Files.createDirectories(Path.of(dir));
                formatter.addDirectory(dir);
            }
            formatter.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("formatting the storage of node " + node.id + " failed: "
                    + e.getMessage(), e);
        }
    }

    private static void startNode(Node node) {
        KafkaRaftServer server = new KafkaRaftServer(node.config, Time.SYSTEM);
        node.server = server;
        server.startup();
    }

    /** Waits until the cluster's metadata lists exactly these brokers as registered and serving. */
    private void awaitBrokers(Set<Integer> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> seen = Set.of();
        try (Admin admin = admin(timeout)) {
            while (System.nanoTime() < deadline) {
                try {
                    seen = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).stream()
                            .map(org.apache.kafka.common.Node::id).collect(Collectors.toSet());
                    if (seen.equals(expected)) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    log.debug("cluster not ready yet: {}", e.toString());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the brokers", e);
        }
        throw new IllegalStateException("brokers " + expected + " not all serving within " + timeout
                + "; the cluster lists " + seen);
    }

    /** Every running node's client listener, comma separated, as {@code bootstrap.servers} wants them. */
    public String bootstrapServers() {
        return nodes.values().stream().map(node -> "localhost:" + node.port).collect(Collectors.joining(","));
    }

    /** The node ids, 1 to {@code nodes}. */
    public Set<Integer> nodeIds() {
        return Set.copyOf(nodes.keySet());
    }

    /** The client port of node {@code nodeId}, fixed across restarts. */
    public int port(int nodeId) {
        return node(nodeId).port;
    }

    public synchronized boolean isRunning(int nodeId) {
        return node(nodeId).server != null;
    }

    /** Shuts node {@code nodeId} down (broker and controller) and waits until it has; its data is kept. */
    public synchronized void stop(int nodeId) {
        Node node = node(nodeId);
        if (node.server == null) {
            throw new IllegalStateException("node " + nodeId + " is not running");
        }
        long begin = System.nanoTime();
        shutdownQuietly(node);
        log.info("Kafka node {} (localhost:{}) stopped in {} ms", nodeId, node.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Starts node {@code nodeId} again on its ports and data, and returns once the cluster lists every running
     * broker again.
     */
    public void restart(int nodeId) {
        Node node = node(nodeId);
        long begin = System.nanoTime();
        synchronized (this) {
            if (node.server != null) {
                throw new IllegalStateException("node " + nodeId + " is running");
            }
            startNode(node);
        }
        Set<Integer> running = nodes.values().stream().filter(n -> n.server != null).map(n -> n.id)
                .collect(Collectors.toSet());
        awaitBrokers(running, options.startupTimeout());
        log.info("Kafka node {} (localhost:{}) started again in {} ms", nodeId, node.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /** The node leading the partition now, or empty while it has no leader. */
    public OptionalInt leaderOf(TopicPartition partition) {
        try (Admin admin = admin(options.startupTimeout())) {
            TopicDescription description = admin.describeTopics(List.of(partition.topic())).allTopicNames()
                    .get(options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS).get(partition.topic());
            return description.partitions().stream().filter(p -> p.partition() == partition.partition())
                    .map(TopicPartitionInfo::leader)
                    .filter(leader -> leader != null && !leader.isEmpty())
                    .mapToInt(org.apache.kafka.common.Node::id).findFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + partition.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe " + partition.topic() + ": " + e, e);
        }
    }

    /** The nodes leading at least one partition of these topics now. */
    public Set<Integer> leadersOf(List<String> topics) {
        try (Admin admin = admin(options.startupTimeout())) {
            return admin.describeTopics(topics).allTopicNames()
                    .get(options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .flatMap(d -> d.partitions().stream()).map(TopicPartitionInfo::leader)
                    .filter(leader -> leader != null && !leader.isEmpty())
                    .map(org.apache.kafka.common.Node::id).collect(Collectors.toSet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not describe " + topics + ": " + e, e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Wall-clock time from {@link #start} until every broker served. */
    public Duration startupTime() {
        return startupTime;
    }

    public Options options() {
        return options;
    }

    /** Stops every running node, all at once (a lone node cannot finish a controlled shutdown), and waits. */
    @Override
    public void close() {
        List<Node> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = new ArrayList<>(nodes.values().stream().filter(n -> n.server != null).toList());
        }
        long begin = System.nanoTime();
        List<CompletableFuture<Void>> stopping = running.stream()
                .map(node -> CompletableFuture.runAsync(() -> shutdownQuietly(node),
                        task -> new Thread(task, "kafka-node-" + node.id + "-stop").start())).toList();
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
        log.info("Embedded Kafka cluster {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    private Node node(int nodeId) {
        Node node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; the nodes are " + nodes.keySet());
        }
        return node;
    }

    private Admin admin(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        int millis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 10_000));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        return Admin.create(props);
    }

    private static void shutdownQuietly(Node node) {
        KafkaRaftServer server = node.server;
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka node {} shutdown failed: {}", node.id, e.toString());
        } finally {
            node.server = null;
        }
    }

    /** Fails before anything starts, with a plain message, rather than deep inside Kafka's socket server. */
    private static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("localhost:" + port + " is not available (" + e.getMessage()
                    + "); is another broker running? Choose another port.", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on localhost", e);
        }
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("tlswatch-kafka-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster[" + bootstrapServers() + ", " + dataDir + "]";
    }
}
