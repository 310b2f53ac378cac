package io.tlswatch.contract.topic;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that must agree about one topic between its producers and consumers: its name, how keys and
 * values are (de)serialised, and how the topic is created.
 *
 * @param retention how long records are kept; {@code null} keeps them forever (the norm for compacted tables)
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions,
                          CleanupPolicy cleanupPolicy, Duration retention, Map<String, String> extraConfig) {

    public enum CleanupPolicy {
        /** An event stream: records expire after the retention. */
        DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
        /** A table: the latest record per key is kept, a null value deletes the key. */
        COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT);

        private final String kafkaName;

        CleanupPolicy(String kafkaName) {
            this.kafkaName = kafkaName;
        }

        public String kafkaName() {
            return kafkaName;
        }
    }

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of " + name + " must be at least 1, was " + partitions);
        }
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("retention of " + name + " must be positive or null, was " + retention);
        }
        extraConfig = extraConfig == null ? Map.of() : Map.copyOf(extraConfig);
    }

    /** The topic-level configuration to create it with. */
    public Map<String, String> topicConfig() {
        Map<String, String> config = new HashMap<>(extraConfig);
        config.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.kafkaName());
        config.put(TopicConfig.RETENTION_MS_CONFIG, retention == null ? "-1" : String.valueOf(retention.toMillis()));
        return Map.copyOf(config);
    }

    /** A creation request with this topic's settings; {@code partitionsOverride} of 0 keeps {@link #partitions()}. */
    public NewTopic newTopic(int partitionsOverride, short replicationFactor) {
        int count = partitionsOverride > 0 ? partitionsOverride : partitions;
        return new NewTopic(name, count, replicationFactor).configs(topicConfig());
    }

    /** The same topic under another name: tests sharing one broker give every test its own topics. */
    public Topic<K, V> withName(String newName) {
        return new Topic<>(newName, keySerde, valueSerde, partitions, cleanupPolicy, retention, extraConfig);
    }

    @Override
    public String toString() {
        return name;
    }
}
