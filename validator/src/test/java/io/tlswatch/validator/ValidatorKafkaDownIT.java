package io.tlswatch.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.tlswatch.common.config.ConfigSource;
import io.tlswatch.common.kafka.EmbeddedKafka;
import io.tlswatch.common.kafka.KafkaSettings;
import io.tlswatch.common.serde.Json;
import io.tlswatch.common.testing.FreePorts;
import io.tlswatch.common.tlsserver.DevCertificateFiles;
import io.tlswatch.common.tlsserver.DevCertificates;
import io.tlswatch.common.topic.Topics;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka going away must not stop license validation: answers keep coming, events wait in the bounded buffer,
 * and reach Kafka once it is back. This test runs a broker of its own, because it stops and restarts it.
 */
class ValidatorKafkaDownIT {

    private static final int CHECKS_WHILE_DOWN = 20;

    @Test
    void keepsValidatingWhileKafkaIsDownAndDeliversTheEventsAfterwards(@TempDir Path dir) throws Exception {
        // given a validator on a broker of its own, with one license
        int port = FreePorts.next();
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPort(port).withDataDir(dir.resolve("kafka"));
        EmbeddedKafka kafka = EmbeddedKafka.start(options);
        DevCertificateFiles dev = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        Map<String, String> values = new HashMap<>(Map.of("server.port", "0", "admin.port", "0",
                "server.host", "127.0.0.1", "admin.host", "127.0.0.1", "server.publicUrl", "https://localhost:8443",
                "tls.devCertificateDir", dev.directory().toString(), "kafka.bootstrap.servers", kafka.bootstrapServers()));
        Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        try {
            String key;
            try (LicenseAdmin admin = new LicenseAdmin(KafkaSettings.of(kafka.bootstrapServers()), Topics.LICENSES,
                    Clock.systemUTC(), "test")) {
                IssuedLicense issued = admin.issue("Acme", "standard", List.of(), 5, Instant.now().minusSeconds(60),
                        Instant.now().plus(Duration.ofDays(1)), Duration.ZERO);
                key = issued.licenseKey();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> validator.registry().byLicenseId(issued.license().licenseId()).isPresent());
            }
            HttpClient http = HttpClient.newBuilder().sslContext(ClientSide.trusting(dev.caCertificate())).build();
            String clientId = "inst-" + UUID.randomUUID();
            ECKey clientKey = new ECKeyGenerator(Curve.P_256).generate();
            assertThat(validate(http, validator, key, clientId, clientKey)).isEqualTo("VALID");
            await().atMost(Duration.ofSeconds(10)).until(() -> validator.meters().find("tlswatch.events.published")
                    .tag("topic", Topics.LICENSE_CHECKS.name()).counter() != null && acknowledgedLicenseChecks(validator) == 1.0);

            // when Kafka goes away
            kafka.close();
            // then validations still succeed, and their events wait in the buffer
            for (int i = 0; i < CHECKS_WHILE_DOWN; i++) {
                assertThat(validate(http, validator, key, clientId, clientKey)).isEqualTo("VALID");
            }
            // (nothing acknowledged meanwhile, nothing dropped: they wait in the publisher and producer buffers)
            assertThat(acknowledgedLicenseChecks(validator)).isEqualTo(1.0);
            assertThat(validator.meters().find("tlswatch.events.dropped").counters()).isNotEmpty()
                    .allMatch(dropped -> dropped.count() == 0);

            // and once Kafka is back, every check's event arrives
            kafka = EmbeddedKafka.start(options);
            assertThat(countEvents(kafka.bootstrapServers(), clientId, 1 + CHECKS_WHILE_DOWN))
                    .isEqualTo(1 + CHECKS_WHILE_DOWN);
        } finally {
            validator.close();
            kafka.close();
        }
    }

    private static double acknowledgedLicenseChecks(Validator validator) {
        return validator.meters().get("tlswatch.events.published").tag("topic", Topics.LICENSE_CHECKS.name())
                .counter().count();
    }

    private static String validate(HttpClient http, Validator validator, String key, String clientId, ECKey clientKey)
            throws Exception {
        String proof = ClientSide.dpopProof(clientKey, "https://localhost:8443/v1/licenses/validate");
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + validator.port() + "/v1/licenses/validate"))
                .header("Content-Type", "application/json").header("DPoP", proof)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"licenseKey\":\"" + key + "\",\"clientId\":\"" + clientId + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = Json.reader().readTree(response.body());
        return body.get("code").asText();
    }

    private static int countEvents(String bootstrap, String clientId, int expected) {
        int[] count = {0};
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaSettings.of(bootstrap).consumer("kafka-down-" + UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.LICENSE_CHECKS.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (clientId.equals(r.key())) {
                        count[0]++;
                    }
                });
                return count[0] >= expected;
            });
        }
        return count[0];
    }
}
