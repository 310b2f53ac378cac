package io.tlswatch.common.testing;

import io.tlswatch.common.kafka.KafkaSettings;
import io.tlswatch.common.kafka.TopicBootstrap;
import io.tlswatch.common.topic.Topic;
import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The broker a test runs against, whichever kind it is. Tests share it, so each test creates its own
 * topics ({@link #createUnique}) and uses its own group ids ({@link #uniqueGroupId}).
 */
public final class KafkaBroker {

    private final BrokerKind kind;
    private final String bootstrapServers;

    KafkaBroker(BrokerKind kind, String bootstrapServers) {
        this.kind = kind;
        this.bootstrapServers = bootstrapServers;
    }

    public BrokerKind kind() {
        return kind;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public KafkaSettings settings() {
        return KafkaSettings.of(bootstrapServers);
    }

    public Admin admin() {
        return Admin.create(settings().admin());
    }

    /** Creates a copy of {@code topic} under a unique name, with leaders elected, and returns it. */
    public <K, V> Topic<K, V> createUnique(Topic<K, V> topic) {
        Topic<K, V> unique = topic.withName(topic.name() + "-" + UUID.randomUUID());
        try (Admin admin = admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(30)).ensure(List.of(unique));
        }
        return unique;
    }

    public static String uniqueGroupId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    @Override
    public String toString() {
        return kind + " broker at " + bootstrapServers;
    }
}
