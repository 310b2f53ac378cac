package io.tlswatch.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
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

    /** The outage issue 10 asks for: long enough for every producer timeout and retry to come into play. */
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int BASELINE_CHECKS = 20;
    /** events.bufferCapacity: small, so that a 30 s outage under load overflows it and the drop path is seen too. */
    private static final int BUFFER = 2_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ValidatorKafkaDownIT.class);

    @Test
    void keepsValidatingWhileKafkaIsDownAndDeliversTheEventsAfterwards(@TempDir Path dir) throws Throwable {
        // given a validator on a broker of its own, with one license
        int port = FreePorts.next();
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults().withPort(port).withDataDir(dir.resolve("kafka"));
        EmbeddedKafka kafka = EmbeddedKafka.start(options);
        DevCertificateFiles dev = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        Map<String, String> values = new HashMap<>(Map.of("https.port", "0", "admin.port", "0",
                "server.host", "127.0.0.1", "admin.host", "127.0.0.1", "server.publicUrl", "https://localhost:8443",
                "tls.devCertificateDir", dev.directory().toString(), "kafka.bootstrap.servers", kafka.bootstrapServers()));
        values.put("events.bufferCapacity", String.valueOf(BUFFER));
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

            // (latency with Kafka up, for comparison; speed is measured and logged here, not asserted)
            List<Long> normal = new java.util.ArrayList<>();
            for (int i = 0; i < BASELINE_CHECKS; i++) {
                normal.add(timed(() -> assertThat(validate(http, validator, key, clientId, clientKey)).isEqualTo("VALID")));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> acknowledgedLicenseChecks(validator) == 1 + BASELINE_CHECKS);

            // when Kafka goes away for 30 s, while a client keeps validating
            kafka.close();
            List<Long> whileDown = new java.util.ArrayList<>();
            long down = System.nanoTime();
            while (System.nanoTime() - down < OUTAGE.toNanos()) {
                // then validations still succeed, and their events wait in the buffer
                whileDown.add(timed(() -> assertThat(validate(http, validator, key, clientId, clientKey)).isEqualTo("VALID")));
            }
            LOG.info("License checks with Kafka up: {}; during the {} s outage: {}", summary(normal),
                    OUTAGE.toSeconds(), summary(whileDown));
            // (nothing acknowledged meanwhile; what did not fit in the buffer was dropped and counted, nothing else)
            assertThat(acknowledgedLicenseChecks(validator)).isEqualTo(1.0 + BASELINE_CHECKS);
            long dropped = Math.round(droppedLicenseChecks(validator));
            assertThat(dropped).as("dropped only beyond the buffer")
                    .isLessThanOrEqualTo(Math.max(0, whileDown.size() - BUFFER));
            assertThat(validator.meters().find("tlswatch.events.dropped").counters())
                    .filteredOn(c -> !"buffer_full".equals(c.getId().getTag("reason")))
                    .allSatisfy(c -> assertThat(c.count()).as(c.getId().toString()).isZero());

            // and once Kafka is back, the event of every check that was not dropped arrives, once
            kafka = EmbeddedKafka.start(options);
            int expected = (int) (1 + BASELINE_CHECKS + whileDown.size() - dropped);
            LOG.info("{} events to deliver after the outage, {} dropped beyond the buffer of {}", expected, dropped,
                    BUFFER);
            assertThat(countEvents(kafka.bootstrapServers(), clientId, expected)).isEqualTo(expected);
        } finally {
            validator.close();
            kafka.close();
        }
    }

    /** Milliseconds {@code check} took. */
    private static long timed(org.assertj.core.api.ThrowableAssert.ThrowingCallable check) throws Throwable {
        long started = System.nanoTime();
        check.call();
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return sorted.size() + " checks, median " + sorted.get(sorted.size() / 2) + " ms, p90 "
                + sorted.get(sorted.size() * 9 / 10) + " ms, max " + sorted.get(sorted.size() - 1) + " ms";
    }

    private static double droppedLicenseChecks(Validator validator) {
        return validator.meters().find("tlswatch.events.dropped").tag("topic", Topics.LICENSE_CHECKS.name())
                .counters().stream().mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
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
