package io.tlswatch.collector;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code topics.prefix}: the collector creates and writes its topics under it. */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorTopicPrefixIT {

    @Test
    void createsItsTopicsUnderThePrefixAndWritesReportsThere(KafkaBroker broker, @TempDir Path certificates)
            throws Exception {
        // given a collector whose deployment prefixes every topic
        String prefix = "collector-it-" + UUID.randomUUID() + ".";
        Map<String, String> values = new HashMap<>(Map.of("http.port", "0", "https.port", "0", "admin.port", "0",
                "server.host", "127.0.0.1", "admin.host", "127.0.0.1",
                "tls.devCertificateDir", certificates.toString(),
                "kafka.bootstrap.servers", broker.bootstrapServers(), "topics.prefix", prefix));
        String reportId = UUID.randomUUID().toString();
        try (Collector collector = Collector.start(CollectorConfig.from(ConfigSource.of(values)), Clock.systemUTC())) {

            // when a report is posted
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + collector.httpPort() + "/v1/reports"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ReportJson.report(reportId, "inst-" + reportId)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
        }

        // then its topics exist under the prefix, and the report is in the prefixed topic
        try (Admin admin = broker.admin()) {
            assertThat(admin.listTopics().names().get().stream().filter(n -> n.startsWith(prefix)))
                    .containsExactlyInAnyOrder(prefix + Topics.CLIENT_REPORTS.name(), prefix + Topics.HANDSHAKES.name(),
                            prefix + Topics.CERTIFICATES.name());
        }
        List<String> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("prefix-it")), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(prefix + Topics.CLIENT_REPORTS.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    ClientReportEvent event = Topics.CLIENT_REPORTS.valueSerde().deserializer()
                            .deserialize(r.topic(), r.value());
                    found.add(event.reportId());
                });
                return found.contains(reportId);
            });
        }
    }
}
