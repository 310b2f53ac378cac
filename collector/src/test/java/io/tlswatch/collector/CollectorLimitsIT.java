package io.tlswatch.collector;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits as a client meets them: 429 with Retry-After, counted, and nothing written. */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorLimitsIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAddressOverItsRequestRateIsToldWhenToRetry(KafkaBroker broker) throws Exception {
        // given a collector that lets one address make 3 requests at once, then 1 a second
        try (Collector collector = start(broker, Map.of("limits.perAddress.perSecond", "0.2",
                "limits.perAddress.burst", "3"))) {
            // when the address sends 4 reports one by one
            List<Integer> statuses = new java.util.ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 4; i++) {
                last = post(collector, ReportJson.report(ReportJson.newId(), "inst-" + UUID.randomUUID()));
                statuses.add(last.statusCode());
            }
            // then the fourth is refused with a Retry-After the bucket needs to refill (1 token at 0.2/s: 5 s)
            assertThat(statuses).containsExactly(202, 202, 202, 429);
            assertThat(last.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(Json.reader().readTree(last.body()).get("error").get("code").asText()).isEqualTo("rate_limited");
            assertThat(collector.meters().get("tlswatch.collector.ratelimit.hits").tag("limit", "address")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void aClientOverItsReportRateIsToldWhenToRetryAndNothingOfTheBatchIsWritten(KafkaBroker broker) throws Exception {
        // given a collector that takes 2 reports at once from one client, then 1 a second
        try (Collector collector = start(broker, Map.of("limits.perClient.perSecond", "1",
                "limits.perClient.burst", "2"))) {
            String clientId = "inst-" + UUID.randomUUID();
            // when the client sends 2 reports, then a batch of 2 more at once
            assertThat(post(collector, ReportJson.batch(List.of(ReportJson.report(ReportJson.newId(), clientId),
                    ReportJson.report(ReportJson.newId(), clientId)))).statusCode()).isEqualTo(202);
            HttpResponse<String> refused = post(collector, ReportJson.batch(List.of(
                    ReportJson.report(ReportJson.newId(), clientId), ReportJson.report(ReportJson.newId(), clientId))));

            // then the batch is refused whole, with a Retry-After, and another client is not held back
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
            assertThat(post(collector, ReportJson.report(ReportJson.newId(), "inst-" + UUID.randomUUID()))
                    .statusCode()).isEqualTo(202);
            assertThat(ReportTopic.reports(broker.settings(), e -> clientId.equals(e.clientId()), 2)).hasSize(2);
            assertThat(collector.meters().get("tlswatch.collector.ratelimit.hits").tag("limit", "client")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    private HttpResponse<String> post(Collector collector, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/reports"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Collector start(KafkaBroker broker, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("http.port", "0", "https.port", "-1", "admin.port", "0",
                "server.host", "127.0.0.1", "admin.host", "127.0.0.1",
                "kafka.bootstrap.servers", broker.bootstrapServers()));
        values.putAll(extra);
        return Collector.start(CollectorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
    }
}
