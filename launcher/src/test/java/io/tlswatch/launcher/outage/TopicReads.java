package io.tlswatch.launcher.outage;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.awaitility.Awaitility.await;

/** Whole topics read now, as the ground truth is compared with them (read_committed, the consumers' default). */
final class TopicReads {

    private final String bootstrapServers;
    private final String groupPrefix;
    private final Duration limit;

    /**
     * @param groupPrefix each read is a consumer group of its own, named with this prefix
     * @param limit       how long one read may take to reach the topic's end
     */
    TopicReads(String bootstrapServers, String groupPrefix, Duration limit) {
        this.bootstrapServers = bootstrapServers;
        this.groupPrefix = groupPrefix;
        this.limit = limit;
    }

    /** How many records of the whole topic have each value of {@code by}. */
    <V> Map<String, Integer> count(Topic<String, V> topic, Function<V, String> by) {
        Map<String, Integer> counts = new HashMap<>();
        readAll(topic, v -> counts.merge(by.apply(v), 1, Integer::sum));
        return counts;
    }

    /** Reads the topic from its beginning to its end now. */
    <V> void readAll(Topic<String, V> topic, Consumer<V> each) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                KafkaSettings.of(bootstrapServers).consumer(groupPrefix + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(limit).until(() -> {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
    }
}
