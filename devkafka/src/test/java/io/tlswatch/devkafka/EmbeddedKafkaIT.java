package io.tlswatch.devkafka;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * These tests start brokers of their own, because what they show is about start-up; everything else
 * shares the one broker of {@link io.tlswatch.devkafka.testing.KafkaBrokerExtension}.
 */
class EmbeddedKafkaIT {

    private static final int RECORDS = 2_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void everyRecordProducedRightAfterStartUpIsConsumed() throws Exception {
        // given a broker that has only just started, with the catalogue bootstrapped
        Path temporaryDataDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            temporaryDataDir = kafka.dataDir();
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
            try (Admin admin = Admin.create(settings.admin())) {
                new TopicBootstrap(admin, TIMEOUT).ensure(Topics.ALL);
            }
            String topic = Topics.HANDSHAKES.name();

            // when an idempotent producer writes at once, without any warm-up
            List<Future<?>> sends = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer("startup-test"),
                    new StringSerializer(), new StringSerializer())) {
                IntStream.range(0, RECORDS).forEach(i ->
                        sends.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 37), "value-" + i))));
                producer.flush();
            }
            for (Future<?> send : sends) {
                send.get();
            }

            // then every one of them can be read back, exactly once
            Set<String> seen = new HashSet<>();
            List<String> all = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings.consumer("startup-test"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                await().atMost(TIMEOUT).until(() -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(r.value());
                        all.add(r.value());
                    }
                    return seen.size() >= RECORDS;
                });
            }
            assertThat(all).hasSize(RECORDS);
            assertThat(seen).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, RECORDS).mapToObj(i -> "value-" + i).toList());
        }
        // and closing removed the temporary data directory
        assertThat(temporaryDataDir).doesNotExist();
    }

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
        // given a broker with a kept data directory that holds one record
        String topic = Topics.LICENSES.name();
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withDataDir(dataDir);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options)) {
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
            try (Admin admin = Admin.create(settings.admin())) {
                new TopicBootstrap(admin, TIMEOUT).ensure(Topics.ALL);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer("restart-test"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topic, "lic-1", "kept")).get();
            }
        }

        // when it starts again on that directory
        try (EmbeddedKafka kafka = EmbeddedKafka.start(options)) {
            KafkaSettings settings = KafkaSettings.of(kafka.bootstrapServers());
            TopicBootstrap.Result again;
            try (Admin admin = Admin.create(settings.admin())) {
                again = new TopicBootstrap(admin, TIMEOUT).ensure(Topics.ALL);
            }

            // then the topics are still there and so is the record
            assertThat(again.created()).isEmpty();
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings.consumer("restart-test"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                await().atMost(TIMEOUT).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                    return !values.isEmpty();
                });
            }
            assertThat(values).containsExactly("kept");
        }
        assertThat(dataDir).exists();
    }
}
