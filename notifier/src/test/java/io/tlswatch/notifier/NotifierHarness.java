package io.tlswatch.notifier;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.notifier.config.NotifierConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

/** One test's notifier setup: its own topics and group on the shared broker, its settings and secrets. */
final class NotifierHarness implements AutoCloseable {

    final KafkaBroker broker;
    final NotifierTopics topics;
    final String group = KafkaBroker.uniqueGroupId("notifier-it");
    private final List<Notifier> started = new ArrayList<>();
    private final List<AlertDeadLetter> deadLetters = new ArrayList<>();
    private KafkaConsumer<String, AlertDeadLetter> dlqReader;

    NotifierHarness(KafkaBroker broker) {
        this.broker = broker;
        this.topics = new NotifierTopics(broker.createUnique(Topics.ALERTS), broker.createUnique(Topics.ALERTS_DLQ));
    }

    Notifier start(Map<String, String> settings, Map<String, String> environment) {
        return start(settings, environment, Clock.systemUTC());
    }

    Notifier start(Map<String, String> settings, Map<String, String> environment, Clock clock) {
        Map<String, String> all = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "admin.host", "127.0.0.1", "admin.port", "0", "node.name", "it",
                "consumer.groupId", group,
                "delivery.initialBackoff", "50ms", "delivery.maxBackoff", "200ms",
                "startup.timeout", "60s", "shutdown.grace", "5s"));
        all.putAll(settings);
        Notifier notifier = Notifier.start(NotifierConfig.from(ConfigSource.of(all)), topics, environment::get, clock);
        started.add(notifier);
        return notifier;
    }

    /** Writes the alerts one after the other, each stored before the next is sent, so they are read in order. */
    void publish(AlertEvent... alerts) throws Exception {
        try (KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(broker.settings().producer("it"),
                new StringSerializer(), topics.alerts().valueSerde().serializer())) {
            for (AlertEvent alert : alerts) {
                producer.send(new ProducerRecord<>(topics.alerts().name(), alert.key(), alert)).get();
            }
        }
    }

    /**
     * Writes the alerts keyed by dedup key, as the streams job does, all at once, and waits until the broker has
     * them all: alerts of different keys may then be read in any order.
     */
    void publishAll(List<AlertEvent> alerts) throws Exception {
        try (KafkaProducer<String, AlertEvent> producer = new KafkaProducer<>(broker.settings().producer("it"),
                new StringSerializer(), topics.alerts().valueSerde().serializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (AlertEvent alert : alerts) {
                sent.add(producer.send(new ProducerRecord<>(topics.alerts().name(), alert.key(), alert)));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
    }

    void publishRaw(String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("it"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.alerts().name(), key, value)).get();
        }
    }

    /** The sum of the group's committed offsets over the alert topic's partitions: alerts fully handled. */
    long committed() throws Exception {
        try (Admin admin = broker.admin()) {
            Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    /** Every dead letter so far (reads what arrived since the last call). */
    List<AlertDeadLetter> deadLetters() {
        if (dlqReader == null) {
            dlqReader = new KafkaConsumer<>(broker.settings().consumer(KafkaBroker.uniqueGroupId("dlq-reader")),
                    new StringDeserializer(), topics.deadLetters().valueSerde().deserializer());
            dlqReader.subscribe(List.of(topics.deadLetters().name()));
        }
        dlqReader.poll(Duration.ofMillis(200)).forEach(r -> deadLetters.add(r.value()));
        return List.copyOf(deadLetters);
    }

    @Override
    public void close() {
        started.forEach(Notifier::close);
        if (dlqReader != null) {
            dlqReader.close();
        }
    }
}
