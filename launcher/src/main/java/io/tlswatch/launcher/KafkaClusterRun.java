package io.tlswatch.launcher;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.EmbeddedKafkaCluster;
import io.tlswatch.devkafka.Security;
import org.apache.kafka.clients.admin.Admin;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code tlswatch kafka --brokers N} with N above 1: a cluster of KRaft nodes in this process, every topic created
 * with the cluster's replication, in the foreground until Ctrl-C.
 */
final class KafkaClusterRun {

    private final int brokers;
    private final int basePort;
    private final Path dataDir;
    private final int partitions;
    private final Duration startupTimeout;
    private final Duration stopLimit;
    private final Security security;
    /** With security on: where the principals' settings go; {@code null} for clients/ in the data directory. */
    private final Path clientsDir;

    KafkaClusterRun(int brokers, int basePort, Path dataDir, int partitions, Duration startupTimeout,
                    Duration stopLimit, Security security, Path clientsDir) {
        this.security = security;
        this.clientsDir = clientsDir;
        this.brokers = brokers;
        this.basePort = basePort;
        this.dataDir = dataDir;
        this.partitions = partitions;
        this.startupTimeout = startupTimeout;
        this.stopLimit = stopLimit;
    }

    int run(PrintWriter out, PrintWriter err) {
        EmbeddedKafkaCluster.Options options = EmbeddedKafkaCluster.Options.defaults()
                .withNodes(brokers)
                .withBasePort(basePort)
                .withDataDir(dataDir == null ? null : dataDir.toAbsolutePath())
                .withStartupTimeout(startupTimeout)
                .withSecurity(security);
        out.printf("Starting a Kafka cluster of %d brokers on localhost:%d to localhost:%d ...%n", brokers, basePort,
                basePort + brokers - 1);
        out.flush();
        EmbeddedKafkaCluster cluster;
        try {
            cluster = EmbeddedKafkaCluster.start(options);
        } catch (RuntimeException e) {
            err.printf("tlswatch kafka: could not start the cluster: %s%n", e.getMessage());
            return 1;
        }
        UntilSignalled untilSignalled = new UntilSignalled(cluster, stopLimit, out).armed();
        // Topics as a production cluster has them: a write acknowledged by acks=all survives the loss of a broker.
        TopicSettings replicated = new TopicSettings(TopicSettings.Create.AUTO, "", options.replicationFactor(),
                options.minInsyncReplicas());
        KafkaSettings adminSettings = KafkaSettings.fromPrefixed(cluster.clientSettings(KafkaClientFiles.ADMIN), null);
        try (Admin admin = Admin.create(adminSettings.admin())) {
            TopicBootstrap.Result topics = new TopicBootstrap(admin, startupTimeout, partitions, replicated,
                    "the embedded cluster's admin").ensure(Topics.ALL);
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            out.printf("Kafka ready on %s: %d brokers started in %d ms, %d topics ready (%d created, replication %d,"
                            + " min.insync.replicas %d), %d ms since the JVM started.%n",
                    cluster.bootstrapServers(), brokers, cluster.startupTime().toMillis(), Topics.ALL.size(),
                    topics.created().size(), options.replicationFactor(), options.minInsyncReplicas(), uptime);
            if (security.enabled()) {
                KafkaClientFiles.writeAndTell(cluster::clientSettings, clientsDir, cluster.dataDir(), out);
            }
            out.printf("Data in %s%s. Press Ctrl-C to stop.%n", cluster.dataDir(),
                    dataDir == null ? " (temporary)" : "");
            out.flush();
        } catch (RuntimeException e) {
            err.printf("tlswatch kafka: topics could not be created: %s%n", e.getMessage());
            cluster.close();
            return 1;
        }
        untilSignalled.await();
        return 0;
    }
}
