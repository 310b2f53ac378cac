package io.tlswatch.streams;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.streams.config.PostureJobConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.tlswatch.streams.TestEvents.TLS12_JA4;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.tls12Check;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker stopped for 30 seconds while the posture job runs and events keep being produced (they wait in the
 * producer meanwhile), then started again on the same port and data: the job stays up, resumes, and every
 * client's posture row counts exactly the failures sent. A broker of its own, since it is stopped.
 */
class PostureJobBrokerOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(PostureJobBrokerOutageIT.class);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final int CLIENTS = 10;

    @Test
    void theJobSurvivesA30SecondBrokerOutageAndItsPostureRowsEqualTheEventsSent(@TempDir Path dir) throws Exception {
        // given a broker of this test's own and the job on it
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPort(FreePorts.next())
                .withDataDir(dir.resolve("kafka"));
        EmbeddedKafka kafka = EmbeddedKafka.start(options);
        PostureJob job = null;
        KafkaProducer<String, byte[]> producer = null;
        try {
            Map<String, String> values = new HashMap<>(Map.of(
                    "kafka.bootstrap.servers", kafka.bootstrapServers(),
                    "streams.applicationId", "outage-it-" + UUID.randomUUID(),
                    "streams.stateDir", dir.resolve("state").toString(),
                    "admin.host", "127.0.0.1", "admin.port", "0", "admin.advertisedHost", "127.0.0.1",
                    "alerts.minHold", "0s", "posture.rowRefresh", "0s",
                    "kafka.commit.interval.ms", "100"));
            values.put("kafka.num.stream.threads", "1");
            values.put("kafka.replication.factor", "1");
            PostureJobConfig config = PostureJobConfig.from(ConfigSource.of(values));
            job = PostureJob.start(config);
            PostureJob running = job;
            await().atMost(WAIT).until(() -> running.state() == KafkaStreams.State.RUNNING);

            // A producer that waits out the outage: what it cannot deliver stays in its buffer.
            Map<String, Object> settings = new HashMap<>(KafkaSettings.of(kafka.bootstrapServers()).producer("outage-it"));
            settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
            settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
            producer = new KafkaProducer<>(settings, Serdes.String().serializer(), Serdes.ByteArray().serializer());

            Instant t0 = Instant.now().minus(Duration.ofMinutes(30));
            List<Event> checks = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                // checked in with the ClientHello its failures carry: a failure goes only to a client seen with its JA4
                checks.add(tls12Check("client-" + i, address(i), t0.plusMillis(i)));
            }
            send(producer, config, checks);
            producer.flush();
            Map<String, ClientPosture> rows = new HashMap<>();
            try (KafkaConsumer<String, ClientPosture> consumer = consumer(kafka, config.topics().clientPosture())) {
                await().atMost(WAIT).until(() -> {
                    poll(consumer, rows);
                    return rows.size() == CLIENTS;
                });
            }
            Map<String, Long> truth = new HashMap<>();
            send(producer, config, wave(0, t0, truth));
            producer.flush();

            // when the broker stops for 30 s, while a second wave is produced
            kafka.close();
            long down = System.nanoTime();
            // (send blocks while the producer has no metadata: the wave is sent from another thread, as an
            // application thread would, and waits in the producer until the broker is back)
            KafkaProducer<String, byte[]> during = producer;
            List<Event> second = wave(1, t0, truth);
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(during, config, second));
            PostureJob survivor = job;
            // then the job stays up all along (it may not answer for its data meanwhile, but it does not die)
            await().during(OUTAGE).atMost(OUTAGE.plusSeconds(10)).until(() -> survivor.state() != KafkaStreams.State.ERROR
                    && survivor.state() != KafkaStreams.State.PENDING_ERROR
                    && survivor.state() != KafkaStreams.State.NOT_RUNNING);

            // and when it is back, with a third wave after
            kafka = EmbeddedKafka.start(options);
            LOG.info("Broker back after {} ms down", Duration.ofNanos(System.nanoTime() - down).toMillis());
            sending.get(90, TimeUnit.SECONDS);
            producer.flush();
            send(producer, config, wave(2, t0, truth));
            producer.flush();
            long back = System.nanoTime();

            // every client's row counts exactly the failures sent for it
            rows.clear();
            try (KafkaConsumer<String, ClientPosture> consumer = consumer(kafka, config.topics().clientPosture())) {
                await().atMost(WAIT).untilAsserted(() -> {
                    poll(consumer, rows);
                    Map<String, Long> counted = new HashMap<>();
                    rows.forEach((client, row) -> counted.put(client, row.failuresByReason().values().stream()
                            .mapToLong(Long::longValue).sum()));
                    assertThat(counted).isEqualTo(truth);
                });
            }
            LOG.info("Posture equal to the ground truth {} ms after the last wave; job {}",
                    Duration.ofNanos(System.nanoTime() - back).toMillis(), job.state());
            assertThat(job.state()).isEqualTo(KafkaStreams.State.RUNNING);
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
            if (job != null) {
                job.close();
            }
            kafka.close();
        }
    }

    private static List<Event> wave(int wave, Instant t0, Map<String, Long> truth) {
        List<Event> failures = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            int count = 1 + (i + wave) % 3;
            for (int n = 0; n < count; n++) {
                failures.add(failure(address(i), t0.plusSeconds(60L * (wave + 1) + n).plusMillis(i),
                        FailureReason.NO_SHARED_CIPHER, "TLSv1.2", TLS12_JA4));
            }
            truth.merge("client-" + i, (long) count, Long::sum);
        }
        return failures;
    }

    private static String address(int client) {
        return "198.51.100." + (10 + client);
    }

    private static void send(KafkaProducer<String, byte[]> producer, PostureJobConfig config, List<Event> events) {
        for (Event e : events) {
            Topic<String, ?> topic = e instanceof HandshakeEvent ? config.topics().handshakes()
                    : config.topics().licenseChecks();
            producer.send(new ProducerRecord<>(topic.name(), null, e.time().toEpochMilli(), e.key(),
                    serialize(topic, e)));
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> byte[] serialize(Topic<String, V> topic, Event e) {
        return topic.valueSerde().serializer().serialize(topic.name(), (V) e);
    }

    private static <V> KafkaConsumer<String, V> consumer(EmbeddedKafka kafka, Topic<String, V> topic) {
        KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                KafkaSettings.of(kafka.bootstrapServers()).consumer("outage-it-" + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        consumer.subscribe(List.of(topic.name()));
        return consumer;
    }

    private static void poll(KafkaConsumer<String, ClientPosture> consumer, Map<String, ClientPosture> rows) {
        for (ConsumerRecord<String, ClientPosture> record : consumer.poll(Duration.ofMillis(300))) {
            rows.put(record.key(), record.value());
        }
    }
}
