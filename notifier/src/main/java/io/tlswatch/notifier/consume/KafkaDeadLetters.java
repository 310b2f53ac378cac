package io.tlswatch.notifier.consume;

import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.notifier.delivery.DeadLetters;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Writes dead letters to {@code tlswatch.alerts.dlq.v1}, keyed by the alert's dedup key. */
public final class KafkaDeadLetters implements DeadLetters, AutoCloseable {

    private final Producer<String, AlertDeadLetter> producer;
    private final Topic<String, AlertDeadLetter> topic;

    public KafkaDeadLetters(Producer<String, AlertDeadLetter> producer, Topic<String, AlertDeadLetter> topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public CompletableFuture<Void> publish(AlertDeadLetter letter) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic.name(), letter.key(), letter), (metadata, failure) -> {
                if (failure == null) {
                    stored.complete(null);
                } else {
                    stored.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            stored.completeExceptionally(e);
        }
        return stored;
    }

    public void close(Duration limit) {
        producer.close(limit);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
