package io.tlswatch.contract.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.SampleEvents;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventPublisherTest {

    @Test
    void neverBlocksTheCallerWhenKafkaIsDownAndCountsWhatOverflows() throws IOException {
        // given a producer whose broker does not exist, whose send() waits a minute for metadata (so the sender stays
        // stuck on one event for the whole test), and a buffer of 10
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> props = KafkaSettings.of("localhost:" + closedPort()).producer("down-test");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        HandshakeEvent event = (HandshakeEvent) SampleEvents.all().get(0);
        long accepted;
        try (EventPublisher publisher = new EventPublisher(
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()), 10, registry)) {

            // when 1,000 events are published at once
            long begin = System.nanoTime();
            accepted = IntStream.range(0, 1_000).filter(i -> publisher.publish(Topics.HANDSHAKES, event)).count();
            Duration took = Duration.ofNanos(System.nanoTime() - begin);

            // then the caller was never held up (a blocking publish would wait out the minute: the bound is far from
            // both), the buffer took what fits (plus the one the sender holds) and the rest is counted
            assertThat(took).isLessThan(Duration.ofSeconds(20));
            assertThat(accepted).isBetween(10L, 11L);
            assertThat(registry.get("tlswatch.events.dropped").tag("reason", "buffer_full")
                    .tag("topic", Topics.HANDSHAKES.name()).counter().count()).isEqualTo(1_000.0 - accepted);
            assertThat(registry.find("tlswatch.events.published").counter()).isNull();
            publisher.close(Duration.ofMillis(500));
        }
        // and what was still buffered at shutdown is counted too, not silently gone
        assertThat(registry.get("tlswatch.events.dropped").tag("reason", "shutdown").counter().count())
                .isEqualTo((double) accepted);
    }

    @Test
    void expectedTopicsStartAtZeroForPublishedAndEveryDropReason() throws IOException {
        // given a publisher told which topics it will write to
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Map<String, Object> props = KafkaSettings.of("localhost:" + closedPort()).producer("expect-test");
        try (EventPublisher publisher = new EventPublisher(
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()), 10, registry)) {

            // when nothing was published yet
            publisher.expect(Topics.HANDSHAKES, Topics.LICENSE_CHECKS);

            // then each topic's counters exist, at 0, and no other topic's
            for (String topic : new String[]{Topics.HANDSHAKES.name(), Topics.LICENSE_CHECKS.name()}) {
                assertThat(registry.get("tlswatch.events.published").tag("topic", topic).counter().count()).isZero();
                for (String reason : new String[]{"buffer_full", "send_failed", "serialization", "shutdown"}) {
                    assertThat(registry.get("tlswatch.events.dropped").tag("topic", topic).tag("reason", reason)
                            .counter().count()).isZero();
                }
            }
            assertThat(registry.find("tlswatch.events.published").counters()).hasSize(2);
            assertThat(registry.find("tlswatch.events.dropped").counters()).hasSize(8);
            publisher.close(Duration.ofMillis(200));
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        }
    }

    @Test
    void sendsUnderThePrefixedNameAndCountsUnderTheCatalogueName() {
        // given a publisher of a deployment whose topics carry the prefix "acme."
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
                new ByteArraySerializer());
        HandshakeEvent event = (HandshakeEvent) SampleEvents.all().get(0);
        try (EventPublisher publisher = new EventPublisher(producer, 10, registry,
                new TopicSettings(TopicSettings.Create.AUTO, "acme.", 0, 0))) {

            // when
            publisher.publish(Topics.HANDSHAKES, event);

            // then
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
            assertThat(producer.history().get(0).topic()).isEqualTo("acme." + Topics.HANDSHAKES.name());
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("tlswatch.events.published")
                    .tag("topic", Topics.HANDSHAKES.name()).counter() != null);
        }
    }
}
