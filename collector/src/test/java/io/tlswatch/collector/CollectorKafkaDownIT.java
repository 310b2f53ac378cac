package io.tlswatch.collector;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When Kafka cannot take reports the collector says so (503 with Retry-After) instead of acknowledging what it
 * does not have, and bounds the requests waiting; once Kafka is back the client's retry lands, once. This test
 * runs a broker of its own, because it stops and restarts it.
 */
class CollectorKafkaDownIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answers503WhileKafkaIsDownBoundsWhatWaitsAndTakesTheRetryOnceKafkaIsBack(@TempDir Path dir) throws Exception {
        // given a collector on a broker of its own, giving Kafka 2 s, with room for one request in flight
        int port = FreePorts.next();
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPort(port).withDataDir(dir.resolve("kafka"));
        EmbeddedKafka kafka = EmbeddedKafka.start(options);
        Collector collector = Collector.start(CollectorConfig.from(ConfigSource.of(Map.of("http.port", "0",
                "https.port", "-1", "admin.port", "0", "server.host", "127.0.0.1", "admin.host", "127.0.0.1",
                "server.ackTimeout", "2s", "server.retryAfter", "3s", "server.maxInFlight", "1",
                // The producer may wait for Kafka longer than the client is kept waiting: the request stays in flight.
                "kafka.max.block.ms", "60000",
                "kafka.bootstrap.servers", kafka.bootstrapServers()))), Clock.systemUTC());
        try {
            String clientId = "inst-" + UUID.randomUUID();
            assertThat(post(collector, ReportJson.report(ReportJson.newId(), clientId)).statusCode()).isEqualTo(202);

            // when Kafka goes away
            kafka.close();
            String waiting = ReportJson.report(ReportJson.newId(), clientId);
            HttpResponse<String> timedOut = post(collector, waiting);
            HttpResponse<String> overloaded = post(collector, ReportJson.report(ReportJson.newId(), clientId));

            // then a report is answered 503 with Retry-After after the ack timeout, not acknowledged
            assertThat(timedOut.statusCode()).isEqualTo(503);
            assertThat(timedOut.headers().firstValue("Retry-After")).hasValue("3");
            assertThat(code(timedOut)).isEqualTo("kafka_timeout");
            // and while it still waits in the producer, the next request is turned away at once
            assertThat(overloaded.statusCode()).isEqualTo(503);
            assertThat(code(overloaded)).isEqualTo("overloaded");
            assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("3");

            // and once Kafka is back, the client's retry is acknowledged
            kafka = EmbeddedKafka.start(options);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> post(collector, waiting).statusCode() == 202);
            // and the report is in the topic exactly once after deduplication by reportId
            String waitingId = Json.reader().readTree(waiting).get("reportId").asText();
            List<ClientReportEvent> events = ReportTopic.reports(KafkaSettings.of(kafka.bootstrapServers()),
                    e -> clientId.equals(e.clientId()), 2);
            assertThat(events.stream().map(ClientReportEvent::reportId).filter(waitingId::equals).distinct())
                    .hasSize(1);
        } finally {
            collector.close();
            kafka.close();
        }
    }

    private HttpResponse<String> post(Collector collector, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/reports"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) throws Exception {
        return Json.reader().readTree(response.body()).get("error").get("code").asText();
    }
}
