package io.tlswatch.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.tlsserver.tls.TestPki;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Proof of possession by client certificate (RFC 8705): the token is bound to the certificate. */
@ExtendWith(KafkaBrokerExtension.class)
class ValidatorMutualTlsIT {

    @Test
    void clientCertificateBindsTheTokenWithX5tS256(KafkaBroker broker, @TempDir Path dir) throws Exception {
        // given a validator that asks for client certificates issued by a client CA
        DevCertificateFiles dev = new DevCertificates(dir.resolve("server"), DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        TestPki.Issued clientCa = TestPki.ca("client-ca");
        Path clientCaFile = clientCa.write(dir, "client-ca");
        TestPki.Issued client = TestPki.client(clientCa, "inst-mtls", Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)));
        Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(Map.of(
                "https.port", "0", "admin.port", "0", "server.host", "127.0.0.1", "admin.host", "127.0.0.1",
                "tls.devCertificateDir", dev.directory().toString(), "tls.clientAuth", "optional",
                "tls.clientCaFile", clientCaFile.toString(), "kafka.bootstrap.servers", broker.bootstrapServers()))),
                Clock.systemUTC());
        try {
            String key;
            try (LicenseAdmin admin = new LicenseAdmin(broker.settings(), Topics.LICENSES, Clock.systemUTC(), "test")) {
                IssuedLicense issued = admin.issue("Acme", "mtls", List.of(), 2, Instant.now().minusSeconds(60),
                        Instant.now().plus(Duration.ofDays(1)), Duration.ZERO);
                key = issued.licenseKey();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> validator.registry().byLicenseId(issued.license().licenseId()).isPresent());
            }
            HttpClient http = HttpClient.newBuilder().sslContext(context(dev.caCertificate(), client)).build();

            // when it validates over a connection that presented the certificate, without any DPoP header
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + validator.port() + "/v1/licenses/validate"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"licenseKey\":\"" + key + "\",\"clientId\":\"inst-mtls\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            // then the token is bound to that certificate
            JsonNode body = Json.reader().readTree(response.body());
            assertThat(body.get("code").asText()).isEqualTo("VALID");
            Map<String, Object> cnf = SignedJWT.parse(body.get("token").asText()).getJWTClaimsSet().getJSONObjectClaim("cnf");
            String expected = Base64URL.encode(MessageDigest.getInstance("SHA-256")
                    .digest(client.certificate().getEncoded())).toString();
            assertThat(cnf).containsEntry("x5t#S256", expected);
        } finally {
            validator.close();
        }
    }

    private static SSLContext context(Path caPem, TestPki.Issued client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", client.keys().getPrivate(), new char[0], new Certificate[]{client.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
