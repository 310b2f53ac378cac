package io.tlswatch.contract.kafka;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.topic.Topic;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a service's topics are named and created, read alike by every service (docs/kafka.md).
 *
 * @param create            whether missing topics are created at start ({@link Create#AUTO}) or only checked
 * @param prefix            put in front of every catalogue name ("" keeps the catalogue's names)
 * @param replicationFactor replicas of a topic created; 0 means min(3, brokers in the cluster)
 * @param minInsyncReplicas {@code min.insync.replicas} of a topic created; 0 leaves the broker's default
 */
public record TopicSettings(Create create, String prefix, int replicationFactor, int minInsyncReplicas) {

    /** Read among the {@code kafka.} keys as it decides what the service asks of Kafka, not what it names. */
    public static final String KEY_CREATE = KafkaSettings.PREFIX + "topics.create";
    public static final String KEY_PREFIX = "topics.prefix";
    public static final String KEY_REPLICATION_FACTOR = "topics.replicationFactor";
    public static final String KEY_MIN_INSYNC_REPLICAS = "topics.minInsyncReplicas";
    /** The keys every service declares besides its own ({@link #KEY_CREATE} passes as a {@code kafka.} key). */
    public static final Set<String> KEYS = Set.of(KEY_PREFIX, KEY_REPLICATION_FACTOR, KEY_MIN_INSYNC_REPLICAS);

    // Kafka's own rule for a topic name; the prefix must leave names that follow it.
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");
    private static final int MAX_REPLICATION = Short.MAX_VALUE;

    public static final TopicSettings DEFAULTS = new TopicSettings(Create.AUTO, "", 0, 0);

    public enum Create {
        /** Missing topics are created at start (the default). */
        AUTO,
        /** Topics must exist as the catalogue defines them; start-up fails naming what is missing or different. */
        NEVER
    }

    public TopicSettings {
        if (create == null) {
            throw new ConfigException(KEY_CREATE + " must be auto or never");
        }
        prefix = prefix == null ? "" : prefix;
        if (!LEGAL.matcher(prefix).matches() || prefix.length() > 200) {
            throw new ConfigException(KEY_PREFIX + " may hold only letters, digits, '.', '_' and '-' (at most 200),"
                    + " was '" + prefix + "'");
        }
        if (replicationFactor < 0 || replicationFactor > MAX_REPLICATION) {
            throw new ConfigException(KEY_REPLICATION_FACTOR + " must be between 1 and " + MAX_REPLICATION
                    + " (or unset for min(3, brokers)), was " + replicationFactor);
        }
        if (minInsyncReplicas < 0) {
            throw new ConfigException(KEY_MIN_INSYNC_REPLICAS + " must be at least 1 (or unset for the broker's"
                    + " default), was " + minInsyncReplicas);
        }
        if (replicationFactor > 0 && minInsyncReplicas > replicationFactor) {
            throw new ConfigException(KEY_MIN_INSYNC_REPLICAS + " (" + minInsyncReplicas + ") must not exceed "
                    + KEY_REPLICATION_FACTOR + " (" + replicationFactor + "): no write could ever succeed");
        }
    }

    /** Reads the settings from a flat configuration; an invalid value fails with a message naming its key. */
    public static TopicSettings from(Map<String, String> config) {
        return new TopicSettings(create(config.get(KEY_CREATE)), config.getOrDefault(KEY_PREFIX, "").trim(),
                positive(config, KEY_REPLICATION_FACTOR), positive(config, KEY_MIN_INSYNC_REPLICAS));
    }

    private static Create create(String raw) {
        if (raw == null || raw.isBlank()) {
            return Create.AUTO;
        }
        try {
            return Create.valueOf(raw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY_CREATE + " must be auto or never, was '" + raw + "'");
        }
    }

    private static int positive(Map<String, String> config, String key) {
        String raw = config.get(key);
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < 1) {
                throw new ConfigException(key + " must be at least 1, was " + raw.trim());
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, was '" + raw + "'");
        }
    }

    /** The topic under its name in this deployment: the prefix put in front of the catalogue's name. */
    public <K, V> Topic<K, V> named(Topic<K, V> topic) {
        return prefix.isEmpty() ? topic : topic.withName(prefix + topic.name());
    }

    public List<Topic<?, ?>> named(Collection<? extends Topic<?, ?>> topics) {
        return topics.stream().<Topic<?, ?>>map(this::named).toList();
    }

    public TopicSettings withCreate(Create mode) {
        return new TopicSettings(mode, prefix, replicationFactor, minInsyncReplicas);
    }
}
