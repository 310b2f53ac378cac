package io.tlswatch.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * Policies on a running validator and a real broker: a policy written to {@code tlswatch.policies.v1} changes what
 * the licenses naming it get (token lifetime, proof required, grace, allowed scopes) at their next check, without a
 * restart; a license naming a missing policy is held to the defaults and counted.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidatorPolicyIT {

    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    private Validator validator;
    private HttpClient http;
    private KafkaBroker broker;

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
        validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        http = HttpClient.newBuilder().sslContext(ClientSide.trusting(dev.caCertificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() {
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void aPolicyWrittenToTheTopicChangesWhatItsLicensesGetWithoutARestart() throws Exception {
        // given a policy of 2-minute tokens that requires proof, and a license naming it
        String policyId = "pol-" + UUID.randomUUID();
        write(Topics.POLICIES, policy(policyId, new PolicyTerms(null, null, null, null, Duration.ofMinutes(2), null,
                true, null, null)));
        String key = license(policyId);
        await().atMost(PROPAGATION).until(() -> validator.policies().byId(policyId).isPresent());

        // when a client checks with a proof, and another without
        JsonNode proven = validate(key, "inst-a", null, true);
        JsonNode unproven = validate(key, "inst-b", null, false);

        // then the token lives 2 minutes, and the check without proof is refused
        assertThat(proven.get("code").asText()).isEqualTo("VALID");
        assertThat(lifetimeOf(proven)).isEqualTo(Duration.ofMinutes(2));
        assertThat(proven.at("/license/gracePeriod").asText()).isEqualTo("PT72H");
        assertThat(unproven.get("code").asText()).isEqualTo("PROOF_REQUIRED");

        // when the policy changes to 1-minute tokens, no proof required, a day of grace, only "reporting" asked for
        write(Topics.POLICIES, policy(policyId, new PolicyTerms(null, null, null, null, Duration.ofMinutes(1),
                Duration.ofDays(1), false, null, List.of("reporting"))));

        // then the same validator applies it at the next checks: without proof is valid now
        await().atMost(PROPAGATION).until(() -> validate(key, "inst-b", null, false).get("code").asText()
                .equals("VALID"));
        JsonNode after = validate(key, "inst-a", List.of("reporting"), true);
        assertThat(after.get("code").asText()).isEqualTo("VALID");
        assertThat(lifetimeOf(after)).isEqualTo(Duration.ofMinutes(1));
        assertThat(SignedJWT.parse(after.get("token").asText()).getJWTClaimsSet().getStringListClaim("entitlements"))
                .containsExactly("reporting");
        assertThat(after.at("/license/gracePeriod").asText()).isEqualTo("PT24H");
        // and asking for an entitlement the license has but the policy does not allow is refused
        JsonNode export = validate(key, "inst-a", List.of("export"), true);
        assertThat(export.get("code").asText()).isEqualTo("ENTITLEMENTS_MISSING");
        assertThat(export.has("token")).isFalse();
    }

    @Test
    void aLicenseNamingAMissingPolicyGetsTheDefaultsAndIsCounted() throws Exception {
        // given a license naming a policy nobody wrote
        double before = missingCount();
        String key = license("pol-never-written-" + UUID.randomUUID());

        // when a client checks with a proof
        JsonNode answer = validate(key, "inst-c", null, true);

        // then it is valid under the defaults (15-minute tokens), and the fallback is counted
        assertThat(answer.get("code").asText()).isEqualTo("VALID");
        assertThat(lifetimeOf(answer)).isEqualTo(Duration.ofMinutes(15));
        assertThat(missingCount()).isGreaterThan(before);
    }

    private static PolicyRecord policy(String policyId, PolicyTerms terms) {
        return PolicyRecord.of(Instant.now(), "test@policy-it", policyId, "test policy", terms, "policy-it", null);
    }

    /** Writes an active license naming {@code policyId}, waits until the validator holds it, returns its key. */
    private String license(String policyId) throws Exception {
        String key = "TLSW-POLICY-IT-" + UUID.randomUUID();
        String licenseId = "lic-" + UUID.randomUUID().toString().substring(0, 8);
        write(Topics.LICENSES, LicenseRecord.builder()
                .time(Instant.now())
                .source("test@policy-it")
                .licenseId(licenseId)
                .customer("Acme")
                .plan("pro")
                .entitlements(List.of("reporting", "export"))
                .maxMachines(5)
                .notBefore(Instant.now().minusSeconds(60))
                .notAfter(Instant.now().plus(Duration.ofDays(30)))
                .gracePeriod(Duration.ofHours(72))
                .policyId(policyId)
                .licenseKey(key)
                .build());
        await().atMost(PROPAGATION).until(() -> validator.registry().byLicenseId(licenseId).isPresent());
        return key;
    }

    private <V extends Event> void write(Topic<String, V> topic, V row) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("policy-it"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.name(), row.key(),
                    topic.valueSerde().serializer().serialize(topic.name(), row))).get();
        }
    }

    private JsonNode validate(String key, String clientId, List<String> entitlements, boolean withProof)
            throws Exception {
        Map<String, Object> body = new HashMap<>();
        body.put("licenseKey", key);
        body.put("clientId", clientId);
        if (entitlements != null) {
            body.put("entitlements", entitlements);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://localhost:" + validator.port() + "/v1/licenses/validate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        if (withProof) {
            ECKey clientKey = new ECKeyGenerator(Curve.P_256).generate();
            request.header("DPoP", ClientSide.dpopProof(clientKey, "https://localhost:8443/v1/licenses/validate"));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    private static Duration lifetimeOf(JsonNode answer) throws Exception {
        JWTClaimsSet claims = SignedJWT.parse(answer.get("token").asText()).getJWTClaimsSet();
        return Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant());
    }

    private double missingCount() {
        return validator.meters().get("tlswatch.policies.missing").counter().count();
    }
}
