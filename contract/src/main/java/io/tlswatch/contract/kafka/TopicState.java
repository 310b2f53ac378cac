package io.tlswatch.contract.kafka;

import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.common.config.TopicConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A topic as the cluster has it: what {@link TopicCheck} compares with what the catalogue defines.
 *
 * @param config the topic's effective configuration (its own settings and the broker's defaults)
 */
public record TopicState(String name, int partitions, int replicas, Map<String, String> config) {

    public TopicState {
        config = Map.copyOf(config);
    }

    /**
     * How this topic differs from {@code expected}, one line per difference; empty when it is as expected.
     *
     * @param partitions        the partition count expected
     * @param replicationFactor the replicas expected, 0 for any
     * @param minInsyncReplicas the {@code min.insync.replicas} expected, 0 for any
     */
    public List<String> differencesFrom(Topic<?, ?> expected, int partitions, int replicationFactor,
                                        int minInsyncReplicas) {
        List<String> differences = new ArrayList<>();
        if (this.partitions != partitions) {
            differences.add(name + ": " + this.partitions + " partitions, expected " + partitions);
        }
        if (replicationFactor > 0 && replicas != replicationFactor) {
            differences.add(name + ": replication factor " + replicas + ", expected " + replicationFactor);
        }
        Map<String, String> wanted = expected.topicConfig();
        String policy = config.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "");
        String wantedPolicy = wanted.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (!policy.equals(wantedPolicy)) {
            differences.add(name + ": " + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + policy + ", expected "
                    + wantedPolicy + (expected.cleanupPolicy() == Topic.CleanupPolicy.COMPACT
                    ? " (a table: only the latest record per key may be kept)" : ""));
        }
        String retention = config.getOrDefault(TopicConfig.RETENTION_MS_CONFIG, "");
        String wantedRetention = wanted.get(TopicConfig.RETENTION_MS_CONFIG);
        if (!retention.equals(wantedRetention)) {
            differences.add(name + ": " + TopicConfig.RETENTION_MS_CONFIG + "=" + retention + ", expected "
                    + wantedRetention + ("-1".equals(wantedRetention) ? " (kept forever)" : ""));
        }
        if (minInsyncReplicas > 0) {
            String minIsr = config.getOrDefault(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "");
            if (!minIsr.equals(String.valueOf(minInsyncReplicas))) {
                differences.add(name + ": " + TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG + "=" + minIsr + ", expected "
                        + minInsyncReplicas);
            }
        }
        return differences;
    }
}
