package io.tlswatch.validator.table;

import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a compacted topic from the beginning into a {@link TableSink}: every partition, no consumer group, nothing
 * committed. It knows when it has reached the end offsets it saw when it was assigned, which is when the sink holds
 * every row that existed at that moment.
 *
 * <p>Values are read as bytes and decoded here, so that a record that does not parse (a poison record) is skipped
 * with a warning rather than failing the poll. So is a record whose key is not its row's {@link Event#key()}:
 * compaction keeps one row per key, so a row under another key would outlive its own deletion. Not thread-safe,
 * like the consumer it wraps; only {@link #wakeup()} may be called from another thread.
 *
 * @param <V> the row type
 */
public final class TableReader<V extends Event> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TableReader.class);

    private final Topic<String, V> topic;
    private final TableSink<V> sink;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private Map<TopicPartition, Long> endAtStart;
    private final Set<TopicPartition> behind = new HashSet<>();
    /** The last position seen of each partition still behind, for {@link #progress()}. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    public TableReader(KafkaSettings settings, Topic<String, V> topic, String clientId, TableSink<V> sink) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.sink = Objects.requireNonNull(sink, "sink");
        Map<String, Object> props = settings.consumer("unused");
        // Assigned partitions, read from the beginning every time: no group, no committed offsets.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Assigns every partition of the topic, seeks to the beginning and notes the end offsets to catch up to.
     *
     * @return {@code false} when the topic does not exist
     * @throws org.apache.kafka.common.errors.TimeoutException when the brokers do not answer within
     *                                                         {@code timeout}
     */
    public boolean assign(Duration timeout) {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), timeout);
        if (partitions == null || partitions.isEmpty()) {
            return false;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        Map<TopicPartition, Long> beginning = consumer.beginningOffsets(assigned, timeout);
        endAtStart = Map.copyOf(consumer.endOffsets(assigned, timeout));
        behind.clear();
        positions.clear();
        for (TopicPartition partition : assigned) {
            if (beginning.get(partition) < endAtStart.get(partition)) {
                behind.add(partition);
                positions.put(partition, beginning.get(partition));
            }
        }
        return true;
    }

    public boolean assigned() {
        return endAtStart != null;
    }

    public int partitions() {
        return endAtStart == null ? 0 : endAtStart.size();
    }

    /** Polls once and applies what arrived to the sink; returns how many records arrived. */
    public int poll(Duration timeout) {
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout)) {
            apply(record);
            count++;
        }
        for (TopicPartition partition : List.copyOf(behind)) {
            long position = consumer.position(partition, timeout);
            positions.put(partition, position);
            if (position >= endAtStart.get(partition)) {
                behind.remove(partition);
            }
        }
        return count;
    }

    /** Whether every partition has been read up to the end offset it had when this reader was assigned. */
    public boolean reachedStartEnd() {
        return endAtStart != null && behind.isEmpty();
    }

    /** Where reading stands, for an error message: the partitions still behind and how far. */
    public String progress() {
        if (endAtStart == null) {
            return "partitions of " + topic.name() + " not assigned yet";
        }
        if (behind.isEmpty()) {
            return "caught up on all " + endAtStart.size() + " partitions of " + topic.name();
        }
        List<TopicPartition> sorted = new ArrayList<>(behind);
        sorted.sort(Comparator.comparingInt(TopicPartition::partition));
        return sorted.stream()
                .map(p -> "partition " + p.partition() + " at offset " + positions.get(p) + " of "
                        + endAtStart.get(p))
                .collect(Collectors.joining(", ", behind.size() + " of " + endAtStart.size()
                        + " partitions of " + topic.name() + " behind: ", ""));
    }

    /** Makes a blocked {@link #poll} return early with a {@code WakeupException}; safe from any thread. */
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration timeout) {
        consumer.close(CloseOptions.timeout(timeout));
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String key;
        try {
            key = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
        } catch (SerializationException e) {
            skip(record, "unreadable key: " + e.getMessage());
            return;
        }
        if (key == null || key.isBlank()) {
            skip(record, "no key; the key must be the row's key");
            return;
        }
        if (record.value() == null) {
            sink.apply(key, null, record.partition(), record.offset());
            return;
        }
        V row;
        try {
            row = topic.valueSerde().deserializer().deserialize(topic.name(), record.value());
        } catch (SerializationException e) {
            skip(record, e.getMessage());
            return;
        }
        if (!key.equals(row.key())) {
            skip(record, "key '" + key + "' is not the row's key '" + row.key() + "'");
            return;
        }
        sink.apply(key, row, record.partition(), record.offset());
    }

    private void skip(ConsumerRecord<byte[], byte[]> record, String problem) {
        log.warn("Skipped a record of {} that cannot be used, at partition {} offset {}: {}",
                record.topic(), record.partition(), record.offset(), problem);
        sink.skipped(record.partition(), record.offset());
    }
}
