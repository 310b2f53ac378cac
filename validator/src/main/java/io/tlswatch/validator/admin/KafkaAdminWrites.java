package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Deletion;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link AdminWrites} on one producer of its own, acks=all and idempotent whatever the pass-through settings say:
 * these tables decide who may validate. Blocks the calling thread (a worker, never an event loop) until Kafka
 * confirms, at most {@code timeout}.
 */
public final class KafkaAdminWrites implements AdminWrites, AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    public KafkaAdminWrites(KafkaSettings settings, String clientId, Duration timeout) {
        Map<String, Object> props = settings.producer(clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.timeout = timeout;
    }

    @Override
    public <V extends Event> Written write(Topic<String, V> topic, String key, V value, Integer partition) {
        byte[] bytes = value == null ? null : topic.valueSerde().serializer().serialize(topic.name(), value);
        return send(topic, new ProducerRecord<>(topic.name(), partition, key, bytes));
    }

    @Override
    public Written delete(Topic<String, ?> topic, String key, Deletion deletion) {
        return send(topic, new ProducerRecord<>(topic.name(), null, key, null, deletion.headers()));
    }

    private Written send(Topic<String, ?> topic, ProducerRecord<String, byte[]> record) {
        try {
            RecordMetadata metadata = producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Written(metadata.partition(), metadata.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while writing to " + topic.name() + "; the change may or may not be made");
        } catch (TimeoutException e) {
            throw unavailable("Kafka did not confirm the write to " + topic.name() + " within " + timeout
                    + "; the change may still be made (read it back before retrying)");
        } catch (ExecutionException e) {
            throw unavailable("writing to " + topic.name() + " failed: " + (e.getCause() == null ? e : e.getCause())
                    .getMessage());
        } catch (KafkaException e) {
            throw unavailable("writing to " + topic.name() + " failed: " + e.getMessage());
        }
    }

    @Override
    public int partitions(Topic<String, ?> topic) {
        try {
            return producer.partitionsFor(topic.name()).size();
        } catch (KafkaException e) {
            throw unavailable("cannot learn the partitions of " + topic.name() + ": " + e.getMessage());
        }
    }

    private static AdminError unavailable(String message) {
        return new AdminError(503, "kafka_unavailable", null, message);
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
