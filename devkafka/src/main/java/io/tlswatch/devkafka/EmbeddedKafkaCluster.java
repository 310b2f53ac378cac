package io.tlswatch.devkafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

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

    private final Options options;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final SortedMap<Integer, ClusterNode> nodes;
    private final Duration startupTime;
    private final Optional<BrokerSecurity> security;
    private boolean closed;

    /**
     * Options for {@link #start(Options)}; {@code basePort} 0 picks free client ports, another gives node {@code n}
     * the port {@code basePort + n - 1}; a null {@code dataDir} is a temporary one (each node in a subdirectory
     * {@code node-<id>}); {@code featureLevels} are set when the storage is formatted (as {@code kafka-storage.sh
     * format --feature name=level} does), over the latest production release's; {@code security} secures every
     * node's client listener as {@link EmbeddedKafka} does (off by default).
     */
    public record Options(int nodes, int basePort, Path dataDir, Duration startupTimeout,
                          Map<String, String> brokerOverrides, Map<String, Short> featureLevels, Security security) {
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
            security = security == null ? Security.off() : security;
        }

        /** Three nodes, a temporary data directory, 120 s to start (three brokers on one or two cores). */
        public static Options defaults() {
            return new Options(3, 0, null, Duration.ofSeconds(120), Map.of(), Map.of(), Security.off());
        }

        public Options withNodes(int count) {
            return new Options(count, basePort, dataDir, startupTimeout, brokerOverrides, featureLevels, security);
        }

        public Options withBasePort(int port) {
            return new Options(nodes, port, dataDir, startupTimeout, brokerOverrides, featureLevels, security);
        }

        public Options withDataDir(Path newDataDir) {
            return new Options(nodes, basePort, newDataDir, startupTimeout, brokerOverrides, featureLevels, security);
        }

        public Options withStartupTimeout(Duration timeout) {
            return new Options(nodes, basePort, dataDir, timeout, brokerOverrides, featureLevels, security);
        }

        public Options withBrokerOverrides(Map<String, String> overrides) {
            return new Options(nodes, basePort, dataDir, startupTimeout, overrides, featureLevels, security);
        }

        /** SASL_SSL with SCRAM and ACLs on every node's client listener ({@link Security}). */
        public Options withSecurity(Security newSecurity) {
            return new Options(nodes, basePort, dataDir, startupTimeout, brokerOverrides, featureLevels, newSecurity);
        }

        /** A feature's level for a newly formatted cluster, e.g. {@code transaction.version} 1. */
        public Options withFeatureLevel(String feature, short level) {
            Map<String, Short> levels = new HashMap<>(featureLevels);
            levels.put(feature, level);
            return new Options(nodes, basePort, dataDir, startupTimeout, brokerOverrides, levels, security);
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

    private EmbeddedKafkaCluster(Options options, Path dataDir, boolean ownsDataDir, SortedMap<Integer, ClusterNode> nodes,
                                 Duration startupTime, Optional<BrokerSecurity> security) {
        this.security = security;
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
        Path dataDir = ownsDataDir ? LocalBroker.createTempDir("tlswatch-kafka-cluster-") : options.dataDir();
        Optional<BrokerSecurity> security;
        SortedMap<Integer, ClusterNode> nodes;
        try {
            security = BrokerSecurity.prepare(options.security(), dataDir);
            nodes = ClusterNode.configure(options, dataDir, security);
        } catch (RuntimeException e) {
            if (ownsDataDir) {
                LocalBroker.deleteRecursively(dataDir);
            }
            throw e;
        }
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(options, dataDir, ownsDataDir, nodes, Duration.ZERO,
                security);
        try {
            String clusterId = ClusterNode.existingClusterId(dataDir).orElseGet(() -> Uuid.randomUuid().toString());
            nodes.values().forEach(node -> node.format(clusterId, options.featureLevels()));
            // A node's start-up waits for the quorum to elect a leader, which needs a majority of the nodes
            // running: they must start together.
            // (threads of their own: the common pool has a single thread on a two-core machine)
            List<CompletableFuture<Void>> starting = nodes.values().stream()
                    .map(node -> CompletableFuture.runAsync(node::start,
                            task -> new Thread(task, "kafka-node-" + node.id + "-start").start()))
                    .toList();
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new))
                    .get(options.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            cluster.awaitBrokers(nodes.keySet(), options.startupTimeout());
            security.ifPresent(s -> s.createUsersAndAwait(cluster.internalBootstrapServers(),
                    cluster.bootstrapServers(), options.startupTimeout()));
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
        log.info("Embedded Kafka cluster of {} nodes ready on {} ({}) in {} ms (data in {})", nodes.size(),
                cluster.bootstrapServers(), security.isPresent() ? "SASL_SSL, ACLs" : "PLAINTEXT", took.toMillis(),
                dataDir);
        return new EmbeddedKafkaCluster(options, dataDir, ownsDataDir, nodes, took, security);
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

    /** The nodes' own listeners (PLAINTEXT, super user), where the cluster manages itself. */
    String internalBootstrapServers() {
        return nodes.values().stream().map(node -> "localhost:" + node.internalPort).collect(Collectors.joining(","));
    }

    /**
     * What a tlswatch service's configuration needs to reach this cluster as {@code user}: {@code
     * kafka.bootstrap.servers} and, when security is on, the {@code kafka.*} SASL_SSL client settings.
     */
    public Map<String, String> clientSettings(String user) {
        return security.map(s -> s.clientSettings(bootstrapServers(), user))
                .orElseGet(() -> Map.of("kafka.bootstrap.servers", bootstrapServers()));
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
        ClusterNode node = node(nodeId);
        if (node.server == null) {
            throw new IllegalStateException("node " + nodeId + " is not running");
        }
        long begin = System.nanoTime();
        node.shutdownQuietly();
        log.info("Kafka node {} (localhost:{}) stopped in {} ms", nodeId, node.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    /**
     * Starts node {@code nodeId} again on its ports and data, and returns once the cluster lists every running
     * broker again.
     */
    public void restart(int nodeId) {
        ClusterNode node = node(nodeId);
        long begin = System.nanoTime();
        synchronized (this) {
            if (node.server != null) {
                throw new IllegalStateException("node " + nodeId + " is running");
            }
            node.start();
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
        List<ClusterNode> running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = new ArrayList<>(nodes.values().stream().filter(n -> n.server != null).toList());
        }
        long begin = System.nanoTime();
        List<CompletableFuture<Void>> stopping = running.stream()
                .map(node -> CompletableFuture.runAsync(() -> node.shutdownQuietly(),
                        task -> new Thread(task, "kafka-node-" + node.id + "-stop").start())).toList();
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        if (ownsDataDir) {
            LocalBroker.deleteRecursively(dataDir);
        }
        log.info("Embedded Kafka cluster {} stopped in {} ms", bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    private ClusterNode node(int nodeId) {
        ClusterNode node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("no node " + nodeId + "; the nodes are " + nodes.keySet());
        }
        return node;
    }

    private Admin admin(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers());
        int millis = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis, 10_000));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        return Admin.create(props);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster[" + bootstrapServers() + ", " + dataDir + "]";
    }
}
