package io.tlswatch.devkafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One node of an {@link EmbeddedKafkaCluster}: its fixed ports and configuration, its storage, and its server
 * while it runs.
 */
final class ClusterNode {

    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    private static final int FIRST_NODE_ID = 1;

    final int id;
    final int port;
    /** Where the cluster reaches the node itself: its client port, or with security its PLAINTEXT one. */
    final int internalPort;
    final KafkaConfig config;
    volatile KafkaRaftServer server;

    ClusterNode(int id, int port, int internalPort, KafkaConfig config) {
        this.id = id;
        this.port = port;
        this.internalPort = internalPort;
        this.config = config;
    }

    /** The nodes of a cluster with these options, each with its ports chosen and its configuration built. */
    static SortedMap<Integer, ClusterNode> configure(EmbeddedKafkaCluster.Options options, Path dataDir,
                                                     Optional<BrokerSecurity> security) {
        List<Integer> ids = IntStream.range(FIRST_NODE_ID, FIRST_NODE_ID + options.nodes()).boxed().toList();
        Map<Integer, Integer> ports = new HashMap<>();
        Map<Integer, Integer> controllerPorts = new HashMap<>();
        Map<Integer, Integer> internalPorts = new HashMap<>();
        for (int id : ids) {
            ports.put(id, options.basePort() == 0 ? LocalBroker.freePort() : LocalBroker.requireFree(options.basePort() + id - FIRST_NODE_ID));
            controllerPorts.put(id, LocalBroker.freePort());
            // Secured, the brokers reach each other over PLAINTEXT listeners of their own (BrokerSecurity).
            internalPorts.put(id, security.isPresent() ? LocalBroker.freePort() : ports.get(id));
        }
        String voters = ids.stream().map(id -> id + "@localhost:" + controllerPorts.get(id))
                .collect(Collectors.joining(","));
        String replication = String.valueOf(options.replicationFactor());
        String minIsr = String.valueOf(options.minInsyncReplicas());
        SortedMap<Integer, ClusterNode> nodes = new TreeMap<>();
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
            Map<String, String> secured = security.map(s -> s.brokerConfig(ports.get(id), internalPorts.get(id),
                    CONTROLLER_LISTENER, controllerPorts.get(id))).orElse(Map.of());
            nodes.put(id, new ClusterNode(id, ports.get(id), internalPorts.get(id), new KafkaConfig(
                    EmbeddedKafka.brokerConfig(nodeDir, ports.get(id), controllerPorts.get(id), secured, cluster),
                    false)));
        }
        return nodes;
    }

    /** The cluster id a kept data directory was formatted with: every node must share it. */
    static Optional<String> existingClusterId(Path dataDir) {
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

    /** Formats the node's storage, unless it already is (kept across runs). */
    void format(String clusterId, Map<String, Short> featureLevels) {
        List<String> dirs = config.logDirs();
        if (dirs.stream().allMatch(dir -> Files.exists(Path.of(dir, META_PROPERTIES)))) {
            return;
        }
        try {
            Formatter formatter = new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(id)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(config.metadataLogDir())
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
            throw new IllegalStateException("formatting the storage of node " + id + " failed: "
                    + e.getMessage(), e);
        }
    }

    void start() {
        KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
        server = started;
        started.startup();
    }

    /** Stops the node's server, if it runs, and waits until it has. */
    void shutdownQuietly() {
        KafkaRaftServer running = server;
        if (running == null) {
            return;
        }
        try {
            running.shutdown();
            running.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka node {} shutdown failed: {}", id, e.toString());
        } finally {
            server = null;
        }
    }
}
