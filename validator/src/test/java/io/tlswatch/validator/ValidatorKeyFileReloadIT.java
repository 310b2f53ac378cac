package io.tlswatch.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import io.tlswatch.validator.token.KeyFileEdit;
import io.tlswatch.validator.token.KeyFileEdits;
import io.tlswatch.validator.token.SigningAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A signing key rotated with overlap under a running validator, as docs/runbooks.md tells an operator to: the key
 * file staged, then promoted, with the validator's defaults otherwise (the file is watched as often as the
 * certificate, {@code tls.watch.interval} 10 s, and on file events).
 */
@ExtendWith(KafkaBrokerExtension.class)
class ValidatorKeyFileReloadIT {

    /** The default watch interval and then some: file events usually make it well under a second. */
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(20);

    @Test
    void aStagedKeyIsPublishedBeforeItSignsAndAfterThePromotionTokensOfTheOldKeyStillVerify(
            KafkaBroker broker, @TempDir Path dir) throws Exception {
        // given: a validator signing with the key of its key file, and a license
        Path keyFile = dir.resolve("signing-keys.jwks");
        KeyFileEdit generated = KeyFileEdits.generate(SigningAlgorithm.EDDSA);
        replace(keyFile, generated.text());
        String oldKid = generated.kids().get(0);
        Path certificates = Files.createDirectory(dir.resolve("certificates"));
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
        values.put("token.keyFile", keyFile.toString());
        try (Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC())) {
            String licenseKey = issueLicense(broker, validator);
            Client client = new Client(HttpClient.newBuilder().sslContext(ClientSide.trusting(dev.caCertificate()))
                    .connectTimeout(Duration.ofSeconds(5)).build(), validator);
            assertThat(client.reloads("reloaded")).isZero();
            assertThat(client.reloads("failed")).isZero();
            SignedJWT signedByOld = client.token(licenseKey);
            assertThat(signedByOld.getHeader().getKeyID()).isEqualTo(oldKid);

            // when: a key is staged in the file
            KeyFileEdit staged = KeyFileEdits.stage(generated.text(), Optional.empty(), keyFile.toString());
            String newKid = staged.kids().get(0);
            replace(keyFile, staged.text());

            // then: it is published, and still the old key signs
            await().atMost(RELOAD_BOUND).until(() -> client.reloads("reloaded") == 1.0);
            assertThat(client.jwks().getKeys()).extracting(JWK::getKeyID).containsExactly(oldKid, newKid);
            assertThat(client.token(licenseKey).getHeader().getKeyID()).isEqualTo(oldKid);

            // when: the staged key is promoted
            replace(keyFile, KeyFileEdits.promote(staged.text(), keyFile.toString()).text());

            // then: new tokens carry the new kid, and the token the old key signed still verifies against the JWKS
            await().atMost(RELOAD_BOUND).until(() -> client.reloads("reloaded") == 2.0);
            assertThat(client.token(licenseKey).getHeader().getKeyID()).isEqualTo(newKid);
            JWKSet published = client.jwks();
            assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactly(newKid, oldKid);
            assertThat(signedByOld.verify(new Ed25519Verifier(published.getKeyByKeyId(oldKid).toOctetKeyPair())))
                    .isTrue();
            assertThat(client.reloads("failed")).isZero();
        }
    }

    private static String issueLicense(KafkaBroker broker, Validator validator) throws Exception {
        try (LicenseAdmin admin = new LicenseAdmin(broker.settings(), Topics.LICENSES, Clock.systemUTC(), "test")) {
            IssuedLicense issued = admin.issue("Acme", "enterprise", List.of("reporting"), 5,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)), Duration.ofHours(72));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> validator.registry().byLicenseId(issued.license().licenseId()).isPresent());
            return issued.licenseKey();
        }
    }

    /** In one step, as {@code tlswatch keys} writes it. */
    private static void replace(Path file, String text) throws Exception {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** What an SDK and an operator's monitoring see of the validator, over HTTP. */
    private record Client(HttpClient http, Validator validator) {

        SignedJWT token(String licenseKey) throws Exception {
            ECKey key = new ECKeyGenerator(Curve.P_256).generate();
            String body = "{\"licenseKey\": \"" + licenseKey + "\", \"clientId\": \"inst-" + UUID.randomUUID()
                    + "\", \"sdk\": {\"name\": \"test\", \"runtime\": {\"name\": \"OpenJDK\", \"version\": \"17\"}}}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + validator.port() + "/v1/licenses/validate"))
                    .header("Content-Type", "application/json")
                    .header("DPoP", ClientSide.dpopProof(key, "https://localhost:8443/v1/licenses/validate"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode answer = Json.reader().readTree(response.body());
            assertThat(answer.get("code").asText()).isEqualTo("VALID");
            return SignedJWT.parse(answer.get("token").asText());
        }

        JWKSet jwks() throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + validator.port() + "/.well-known/jwks.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return JWKSet.parse(response.body());
        }

        /** {@code tlswatch.token.keys.reloads} of one outcome, as scraped from the admin port. */
        double reloads(String outcome) throws Exception {
            String metrics = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + validator.adminPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String series = "tlswatch_token_keys_reloads_total{outcome=\"" + outcome + "\"";
            return metrics.lines().filter(line -> line.startsWith(series))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .findFirst().orElseThrow(() -> new AssertionError(series + " is not registered"));
        }
    }
}
