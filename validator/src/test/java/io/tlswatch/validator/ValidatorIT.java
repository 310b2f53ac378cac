package io.tlswatch.validator;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.api.RefusalLog;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The validator as a client meets it: real TLS, real HTTP, a real broker, real events. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidatorIT {


    private Validator validator;
    private HttpClient http;
    private String licenseKey;
    private String licenseId;
    private KafkaBroker broker;
    private SSLContext trustingDevCa;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        this.broker = broker;
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("server.publicUrl", "https://localhost:8443");
        values.put("tls.devCertificateDir", certificates.toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        values.putAll(extraConfig());
        validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());

        try (LicenseAdmin admin = new LicenseAdmin(broker.settings(), Topics.LICENSES, Clock.systemUTC(), "test")) {
            IssuedLicense issued = admin.issue("Acme", "enterprise", List.of("reporting"), 5,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)), Duration.ofHours(72));
            licenseKey = issued.licenseKey();
            licenseId = issued.license().licenseId();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> validator.registry().byLicenseId(licenseId).isPresent());
        trustingDevCa = ClientSide.trusting(dev.caCertificate());
        http = HttpClient.newBuilder().sslContext(trustingDevCa).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Settings a variant of this test adds, such as another TLS provider. */
    Map<String, String> extraConfig() {
        return Map.of();
    }

    @AfterAll
    void stop() {
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void usesTheConfiguredProvider() {
        assertThat(validator.tls().provider().name().toLowerCase(java.util.Locale.ROOT))
                .isEqualTo(extraConfig().getOrDefault("tls.provider", "openssl"));
    }

    @Test
    void validLicenseWithDpopProofGetsABoundTokenAndIsRecorded() throws Exception {
        // given a client with its own key
        String clientId = "inst-" + UUID.randomUUID();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();

        // when it validates with a DPoP proof
        HttpResponse<String> response = post(body(licenseKey, clientId), Map.of("DPoP", proof(key)));

        // then
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = Json.reader().readTree(response.body());
        assertThat(answer.get("valid").asBoolean()).isTrue();
        assertThat(answer.get("code").asText()).isEqualTo("VALID");
        assertThat(answer.get("license").get("id").asText()).isEqualTo(licenseId);
        SignedJWT token = SignedJWT.parse(answer.get("token").asText());
        assertThat(token.getHeader().getKeyID()).isEqualTo(validator.signingKeys().current().kid());
        assertThat(token.getJWTClaimsSet().getStringClaim("cid")).isEqualTo(clientId);
        assertThat(token.getJWTClaimsSet().getJSONObjectClaim("cnf")).containsEntry("jkt",
                key.computeThumbprint().toString());
        // and a license-check event says how it came
        LicenseCheckEvent check = awaitEvent(Topics.LICENSE_CHECKS.name(), clientId, LicenseCheckEvent.class);
        assertThat(check.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(check.tlsProtocol()).isEqualTo("TLSv1.3");
        assertThat(check.ja4()).startsWith("t13");
        assertThat(check.tokenExpiresAt()).isEqualTo(Instant.parse(answer.get("expiresAt").asText()));
        assertThat(check.proofJkt()).as("the key the token is bound to").isEqualTo(key.computeThumbprint().toString());
    }

    @Test
    void answersEachRefusalWithItsCode() throws Exception {
        String clientId = "inst-" + UUID.randomUUID();

        JsonNode noProof = Json.reader().readTree(post(body(licenseKey, clientId), Map.of()).body());
        JsonNode unknown = Json.reader().readTree(post(body("TLSW-NOPE", clientId), Map.of()).body());
        JsonNode badProof = Json.reader().readTree(post(body(licenseKey, clientId), Map.of("DPoP", "not.a.jwt")).body());

        assertThat(noProof.get("code").asText()).isEqualTo("PROOF_REQUIRED");
        assertThat(noProof.has("token")).isFalse();
        assertThat(unknown.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(badProof.get("code").asText()).isEqualTo("PROOF_INVALID");
    }

    @Test
    void aClientWhoseClockIsTwoHoursAheadIsRefusedAndTheEventTheMeterAndTheLogSayWhy() throws Exception {
        // given a client with a valid key and license whose clock runs two hours ahead, and the refusal log watched
        String clientId = "inst-" + UUID.randomUUID();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Logger refusalLogger = (Logger) LoggerFactory.getLogger(RefusalLog.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        refusalLogger.addAppender(lines);
        try {
            // when it validates twice with DPoP proofs made on its clock
            for (int i = 0; i < 2; i++) {
                String proof = ClientSide.dpopProof(key, "https://localhost:8443/v1/licenses/validate",
                        Instant.now().plus(Duration.ofHours(2)));
                JsonNode answer = Json.reader().readTree(post(body(licenseKey, clientId), Map.of("DPoP", proof))
                        .body());
                // then the client is told only that the proof was not accepted
                assertThat(answer.get("code").asText()).isEqualTo("PROOF_INVALID");
            }

            // and the license-check event on the topic says why, and by how much its clock is off
            LicenseCheckEvent check = awaitEvent(Topics.LICENSE_CHECKS.name(), clientId, LicenseCheckEvent.class);
            assertThat(check.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
            assertThat(check.refusal()).isEqualTo("iat_out_of_window");
            assertThat(check.proofClockOffset()).isBetween(7_195L, 7_205L);
            // and each refusal is counted by its reason, beside reasons that have not happened (at 0)
            assertThat(scrape())
                    .containsPattern("tlswatch_license_refusals_total\\{reason=\"iat_out_of_window\","
                            + "service=\"validator\"} [2-9]")
                    .contains("tlswatch_license_refusals_total{reason=\"bad_signature\",service=\"validator\"} 0.0");
            // and one line is logged for the two refusals, naming the offset (as the event, within 5 s: the proof
            // is made a moment before it arrives, and under load that moment can pass a second)
            assertThat(lines.list).filteredOn(line -> line.getFormattedMessage().contains(clientId))
                    .singleElement().extracting(ILoggingEvent::getFormattedMessage)
                    .asString().containsPattern("client " + clientId + " refused: clock_skew \\+(719[5-9]|720[0-5]) s "
                            + "\\(window ±60 s\\)");
        } finally {
            refusalLogger.detachAppender(lines);
        }
    }

    @Test
    void malformedRequestsGetAJsonErrorNamingTheProblem() throws Exception {
        HttpResponse<String> missing = post("{\"licenseKey\": \"k\"}", Map.of());
        HttpResponse<String> notJson = post("{", Map.of());
        HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(uri("/v1/licenses/validate"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> tooLarge = post("{\"licenseKey\": \"" + "k".repeat(70_000) + "\"}", Map.of());
        HttpResponse<String> unknownPath = http.send(HttpRequest.newBuilder(uri("/v1/nothing")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(422);
        assertThat(Json.reader().readTree(missing.body()).get("error").get("field").asText()).isEqualTo("/clientId");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(Json.reader().readTree(wrongType.body()).get("error").get("field").asText()).isEqualTo("Content-Type");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(scrape()).contains("tlswatch_http_rejected_total{reason=\"invalid_field\",service=\"validator\"}");
    }

    @Test
    void publishesTheSigningKeysAsJwks() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/.well-known/jwks.json")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode keys = Json.reader().readTree(response.body()).get("keys");
        assertThat(keys).isNotEmpty();
        assertThat(keys.get(0).get("kid").asText()).isEqualTo(validator.signingKeys().current().kid());
        assertThat(keys.get(0).has("d")).as("no private part").isFalse();
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheOrderTheyWereSent() throws Exception {
        // given one connection carrying validations (decided off the event loop) interleaved with requests the
        // event loop answers at once, all written before any answer is read
        String clientId = "inst-" + UUID.randomUUID();
        String validate = body(licenseKey, clientId);
        String pipelined = "POST /v1/licenses/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + validate.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + validate;
        String jwks = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String unknown = "GET /v1/nothing HTTP/1.1\r\nHost: localhost\r\n\r\n";
        try (SSLSocket socket = (SSLSocket) trustingDevCa.getSocketFactory().createSocket("127.0.0.1", validator.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((pipelined + jwks + pipelined + unknown + jwks).getBytes(StandardCharsets.UTF_8));
            out.flush();

            // when the answers are read
            InputStream in = new BufferedInputStream(socket.getInputStream());
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(readResponse(in));
            }

            // then each answers the request in its place
            assertThat(answers.get(0)).startsWith("200").contains("\"code\":\"PROOF_REQUIRED\"");
            assertThat(answers.get(1)).startsWith("200").contains("\"keys\"");
            assertThat(answers.get(2)).startsWith("200").contains("\"code\":\"PROOF_REQUIRED\"");
            assertThat(answers.get(3)).startsWith("404").contains("not_found");
            assertThat(answers.get(4)).startsWith("200").contains("\"keys\"");
        }
    }

    /** One HTTP/1.1 response with a Content-Length body, as "status body". */
    private static String readResponse(InputStream in) throws IOException {
        String status = readLine(in);
        int length = 0;
        for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        return status.split(" ")[1] + " " + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection ended within a response: " + line);
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Test
    void aTls10ClientIsRefusedAndItsOfferIsRecorded() throws Exception {
        // given openssl restricted to TLS 1.0, as an old stack would be
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + validator.port(),
                "-tls1", "-cipher", "DEFAULT@SECLEVEL=0", "-servername", "old-client.test")
                .redirectErrorStream(true).start();
        client.getOutputStream().close();
        assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();

        // then the handshake event names the reason and what it offered
        HandshakeEvent event = awaitEvent(Topics.HANDSHAKES.name(), null, HandshakeEvent.class,
                e -> e.clientHello() != null && "old-client.test".equals(e.clientHello().sni()));
        assertThat(event.failureReason()).isEqualTo(FailureReason.PROTOCOL_VERSION);
        assertThat(event.clientHello().highestOfferedVersion()).isEqualTo("TLSv1");
        assertThat(event.clientHello().ja4()).startsWith("t10d");
        assertThat(scrape()).containsPattern("tlswatch_handshakes_total\\{outcome=\"failure\",protocol=\"none\","
                + "provider=\"[a-z]+\",reason=\"protocol_version\",service=\"validator\"} [1-9]");
    }

    @Test
    void reportsReadyAndServesMetrics() throws Exception {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + validator.adminPort() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"licenses\":\"UP\"").contains("\"policies\":\"UP\"")
                .contains("\"tls-listener\":\"UP\"");
        assertThat(scrape()).contains("tlswatch_tls_provider{provider=").contains("tlswatch_policies_missing_total{");
    }

    private HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/licenses/validate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + validator.port() + path);
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + validator.adminPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String body(String key, String clientId) {
        return "{\"licenseKey\": \"" + key + "\", \"clientId\": \"" + clientId + "\", "
                + "\"sdk\": {\"name\": \"test\", \"runtime\": {\"name\": \"OpenJDK\", \"version\": \"17\"}}}";
    }

    /** A DPoP proof for the public URL the validator is configured with (RFC 9449). */
    private static String proof(ECKey key) throws Exception {
        return ClientSide.dpopProof(key, "https://localhost:8443/v1/licenses/validate");
    }

    private <T> T awaitEvent(String topic, String key, Class<T> type) {
        return awaitEvent(topic, key, type, e -> true);
    }

    private <T> T awaitEvent(String topic, String key, Class<T> type, java.util.function.Predicate<T> match) {
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("validator-it")),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key == null || key.equals(r.key())) {
                        T event = Json.reader().readValue(r.value(), type);
                        if (match.test(event)) {
                            found.add(event);
                        }
                    }
                }
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }
}
