package io.tlswatch.collector;

import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads what the collector wrote, as a consumer of the topics would. */
public final class ReportTopic {

    private ReportTopic() {
    }

    /** Waits until at least {@code count} reports match, then returns every match seen so far. */
    public static List<ClientReportEvent> reports(KafkaSettings kafka, Predicate<ClientReportEvent> match, int count) {
        List<ClientReportEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            consumer.subscribe(List.of(Topics.CLIENT_REPORTS.name()));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    ClientReportEvent event = Topics.CLIENT_REPORTS.valueSerde().deserializer()
                            .deserialize(r.topic(), r.value());
                    if (match.test(event)) {
                        found.add(event);
                    }
                });
                return found.size() >= count;
            });
            // Whatever else was already written behind them (a duplicate) is read too.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                ClientReportEvent event = Topics.CLIENT_REPORTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (match.test(event)) {
                    found.add(event);
                }
            });
        }
        return found;
    }

    public static ClientReportEvent one(KafkaSettings kafka, Predicate<ClientReportEvent> match) {
        return reports(kafka, match, 1).get(0);
    }

    public static HandshakeEvent handshake(KafkaSettings kafka, Predicate<HandshakeEvent> match) {
        return first(kafka, Topics.HANDSHAKES, match);
    }

    /** Waits for a handshake event that matches, then for a second more: every match seen, to count them. */
    public static List<HandshakeEvent> handshakes(KafkaSettings kafka, Predicate<HandshakeEvent> match) {
        List<HandshakeEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            consumer.subscribe(List.of(Topics.HANDSHAKES.name()));
            Callable<Integer> poll = () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    HandshakeEvent event = Topics.HANDSHAKES.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (match.test(event)) {
                        found.add(event);
                    }
                });
                return found.size();
            };
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(poll, n -> n >= 1);
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(poll.call()).as("matching events: %s", found).isEqualTo(1));
        }
        return found;
    }

    public static CertificateEvent certificate(KafkaSettings kafka, Predicate<CertificateEvent> match) {
        return first(kafka, Topics.CERTIFICATES, match);
    }

    private static <V> V first(KafkaSettings kafka, Topic<String, V> topic, Predicate<V> match) {
        List<V> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
            consumer.subscribe(List.of(topic.name()));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    V event = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
                    if (match.test(event)) {
                        found.add(event);
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    private static KafkaConsumer<String, byte[]> consumer(KafkaSettings kafka) {
        return new KafkaConsumer<>(kafka.consumer("collector-test-" + UUID.randomUUID()), new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
