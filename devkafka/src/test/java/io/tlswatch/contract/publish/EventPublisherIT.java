package io.tlswatch.contract.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.SampleEvents;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(KafkaBrokerExtension.class)
class EventPublisherIT {

    private static final int EVENTS = 500;

    @Test
    void everyAcceptedEventArrivesOnceUnderItsKey(KafkaBroker broker) {
        // given
        Topic<String, HandshakeEvent> topic = broker.createUnique(Topics.HANDSHAKES);
        HandshakeEvent sample = event("sample");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Set<String> sent = new HashSet<>();

        // when
        try (EventPublisher publisher = new EventPublisher(new KafkaProducer<>(
                broker.settings().producer("publisher-it"), new StringSerializer(), new ByteArraySerializer()),
                EVENTS, registry)) {
            for (int i = 0; i < EVENTS; i++) {
                HandshakeEvent event = event("evt-" + i);
                assertThat(publisher.publish(topic, event)).isTrue();
                sent.add(event.id());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> registry.find("tlswatch.events.published")
                    .counter() != null && registry.get("tlswatch.events.published").counter().count() == EVENTS);
        }

        // then
        Set<String> received = new HashSet<>();
        try (KafkaConsumer<String, HandshakeEvent> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("publisher-it")),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    assertThat(r.key()).isEqualTo(sample.key());
                    received.add(r.value().id());
                });
                return received.size() >= EVENTS;
            });
        }
        assertThat(received).isEqualTo(sent);
        assertThat(registry.find("tlswatch.events.dropped").counter()).isNull();
    }

    private static HandshakeEvent event(String id) {
        return HandshakeEvent.builder().id(id).time(Instant.now()).source("test@publisher-it")
                .remote("198.51.100.7", 40112).listener("validator", 8443).tlsProvider(TlsProvider.JDK)
                .durationMillis(1.5).clientHello(SampleEvents.java7ClientHello())
                .failure(FailureReason.PROTOCOL_VERSION, "client offered TLSv1 only").build();
    }
}
