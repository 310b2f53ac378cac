package io.tlswatch.contract.topic;

import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.SampleEvents;
import io.tlswatch.contract.serde.JsonSerde;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every event type goes through a real broker with the catalogue's serdes and comes back equal. */
@ExtendWith(KafkaBrokerExtension.class)
class EventRoundTripIT {

    static List<Event> samples() {
        return SampleEvents.all();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("samples")
    void eventSurvivesTheBrokerUnchanged(Event sample, KafkaBroker broker) {
        // given the catalogue topic for this event type, under a name of this test's own
        Topic<String, Event> topic = broker.createUnique(topicFor(sample));

        // when it is produced with the topic's serdes and consumed with them
        try (KafkaProducer<String, Event> producer = new KafkaProducer<>(broker.settings().producer("round-trip"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), sample.key(), sample)).get();
        } catch (Exception e) {
            throw new AssertionError("send failed", e);
        }
        List<ConsumerRecord<String, Event>> received = new ArrayList<>();
        try (KafkaConsumer<String, Event> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("round-trip")),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }

        // then it is the same event under the same key
        assertThat(received).hasSize(1);
        assertThat(received.get(0).key()).isEqualTo(sample.key());
        assertThat(received.get(0).value()).isEqualTo(sample).isInstanceOf(sample.getClass());
    }

    /** The catalogue topic whose value serde reads this event's class. */
    @SuppressWarnings("unchecked")
    private static Topic<String, Event> topicFor(Event sample) {
        return Topics.ALL.stream()
                .filter(t -> ((JsonSerde<?>) t.valueSerde()).targetType() == sample.getClass())
                .map(t -> (Topic<String, Event>) (Topic<String, ?>) t)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no catalogue topic carries " + sample.getClass()));
    }
}
