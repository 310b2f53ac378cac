package io.tlswatch.collector.publish;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.collector.ReportJson;
import io.tlswatch.collector.ReportTopic;
import io.tlswatch.collector.dedup.DedupWindow;
import io.tlswatch.collector.ingest.Candidate;
import io.tlswatch.collector.ingest.Decoded;
import io.tlswatch.collector.ingest.NativeReportDecoder;
import io.tlswatch.collector.ingest.Plausibility;
import io.tlswatch.collector.ingest.Received;
import io.tlswatch.collector.limit.RateLimits;
import io.tlswatch.collector.limit.TokenBuckets;
import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer over a real producer: what Kafka acknowledged is remembered, what it did not is not. */
@ExtendWith(KafkaBrokerExtension.class)
class ReportWriterIT {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DedupWindow dedup = new DedupWindow(Duration.ofMinutes(5), 1000);
    private final RateLimits limits = new RateLimits(new TokenBuckets(1000, 1000, 10), new TokenBuckets(1000, 1000, 10));

    private static List<Candidate> decode(String body) {
        Decoded decoded = new NativeReportDecoder(100, Plausibility.DEFAULTS, "collector@test").decode(
                body.getBytes(StandardCharsets.UTF_8),
                new Received(Instant.now(), "127.0.0.1", new Arrival("http", null, null, null), null));
        return ((Decoded.Accepted) decoded).reports();
    }

    private static Outcome write(ReportWriter writer, List<Candidate> reports) throws Exception {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        writer.write(reports, outcome::complete);
        return outcome.get(30, TimeUnit.SECONDS);
    }

    @Test
    void acknowledgedReportsAreWrittenOnceAndRepeatsAreCountedAsDuplicates(KafkaBroker broker) throws Exception {
        new TopicBootstrap(broker.admin(), Duration.ofSeconds(30)).ensure(List.of(Topics.CLIENT_REPORTS));
        try (KafkaProducer<String, byte[]> producer = producer(broker.settings(), Map.of())) {
            AcknowledgedSender sender = new AcknowledgedSender(producer, Topics.CLIENT_REPORTS, 10, meters, System::nanoTime);
            ReportWriter writer = new ReportWriter(dedup, limits, sender, System::nanoTime);
            String clientId = "inst-" + UUID.randomUUID();
            String a = ReportJson.report("a", clientId);
            String b = ReportJson.report("b", clientId);

            // a batch repeating a report within itself, then the same again with one more
            assertThat(write(writer, decode(ReportJson.batch(List.of(a, b, a))))).isEqualTo(new Outcome.Written(2, 1));
            assertThat(write(writer, decode(ReportJson.batch(List.of(a, b, ReportJson.report("c", clientId))))))
                    .isEqualTo(new Outcome.Written(1, 2));

            assertThat(ReportTopic.reports(broker.settings(), e -> clientId.equals(e.clientId()), 3))
                    .extracting(e -> e.reportId()).containsExactly("a", "b", "c");
            assertThat(sender.inFlight()).isZero();
            assertThat(meters.get("tlswatch.collector.kafka.ack.duration").timer().count()).isEqualTo(3);
            sender.close(Duration.ofSeconds(1));
        }
    }

    @Test
    void whatKafkaDidNotTakeIsNotRememberedAndItsSlotIsFreed() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(KafkaSettings.of("localhost:" + closedPort()),
                Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300))) {
            AcknowledgedSender sender = new AcknowledgedSender(producer, Topics.CLIENT_REPORTS, 1, meters, System::nanoTime);
            ReportWriter writer = new ReportWriter(dedup, limits, sender, System::nanoTime);
            List<Candidate> reports = decode(ReportJson.report("a", "inst-1"));

            assertThat(write(writer, reports)).isInstanceOf(Outcome.Failed.class);
            assertThat(sender.inFlight()).isZero();
            assertThat(sender.healthy()).isFalse();
            assertThat(dedup.size()).isZero();
            sender.close(Duration.ofSeconds(1));
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaSettings settings, Map<String, Object> extra) {
        Map<String, Object> props = settings.producer("writer-test");
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        }
    }
}
