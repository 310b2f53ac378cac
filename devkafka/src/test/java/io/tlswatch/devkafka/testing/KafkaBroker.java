package io.tlswatch.devkafka.testing;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

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

    /**
     * Reads {@code topic} from its start with a group of its own, keeping the events that {@code match}, until
     * {@code done} holds for them (or fails after {@code timeout}), and returns them.
     */
    public <V> List<V> readUntil(Topic<String, V> topic, Predicate<V> match, Predicate<List<V>> done,
                                 Duration timeout) {
        List<V> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                settings().consumer(uniqueGroupId("read-until")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await().atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> {
                    V event = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (match.test(event)) {
                        found.add(event);
                    }
                });
                return done.test(found);
            });
        }
        return found;
    }

    @Override
    public String toString() {
        return kind + " broker at " + bootstrapServers;
    }
}
