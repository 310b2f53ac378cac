package io.tlswatch.contract.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a service reaches Kafka: the bootstrap servers plus any client setting passed through unchanged.
 *
 * <p>Services read Kafka settings from their configuration under a prefix ({@code kafka.}), so any client
 * setting (security, timeouts, compression) can be set without code knowing about it. The defaults here
 * are the safe ones: a producer waits for all in-sync replicas and is idempotent; a consumer commits
 * explicitly and starts from the earliest record it has not seen.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> passthrough, TopicSettings topics) {

    public static final String PREFIX = "kafka.";

    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(PREFIX + "bootstrap.servers must not be empty");
        }
        passthrough = passthrough == null ? Map.of() : Map.copyOf(passthrough);
        topics = topics == null ? TopicSettings.DEFAULTS : topics;
    }

    public KafkaSettings(String bootstrapServers, Map<String, String> passthrough) {
        this(bootstrapServers, passthrough, TopicSettings.DEFAULTS);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of());
    }

    /**
     * Picks every {@code kafka.*} entry of a flat configuration; {@code kafka.bootstrap.servers} names the
     * brokers and defaults to {@code defaultBootstrap}. The topic settings ({@link TopicSettings}) are read from
     * the same configuration; {@code kafka.topics.create} is ours, not a client setting, so it is not passed on.
     */
    public static KafkaSettings fromPrefixed(Map<String, String> config, String defaultBootstrap) {
        Objects.requireNonNull(config, "config");
        Map<String, String> passthrough = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                passthrough.put(key.substring(PREFIX.length()), value);
            }
        });
        String bootstrap = passthrough.remove("bootstrap.servers");
        passthrough.remove(TopicSettings.KEY_CREATE.substring(PREFIX.length()));
        return new KafkaSettings(bootstrap == null ? defaultBootstrap : bootstrap, passthrough,
                TopicSettings.from(config));
    }

    public KafkaSettings withTopics(TopicSettings newTopics) {
        return new KafkaSettings(bootstrapServers, passthrough, newTopics);
    }

    /**
     * The principal these settings authenticate as, when the settings tell it (a SASL user name in
     * {@code sasl.jaas.config}); otherwise how to find it. Only for messages naming an ACL to grant.
     */
    public String principal() {
        String jaas = passthrough.getOrDefault("sasl.jaas.config", "");
        Matcher user = Pattern.compile("username\\s*=\\s*\"([^\"]+)\"").matcher(jaas);
        if (user.find()) {
            return "User:" + user.group(1);
        }
        if ("SSL".equalsIgnoreCase(passthrough.getOrDefault("security.protocol", ""))) {
            return "the subject of the service's client certificate (User:CN=...)";
        }
        return "the service's principal";
    }

    public Map<String, Object> admin() {
        Map<String, Object> props = new HashMap<>(passthrough);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    public Map<String, Object> producer(String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.putAll(passthrough);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    public Map<String, Object> consumer(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(passthrough);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }
}
