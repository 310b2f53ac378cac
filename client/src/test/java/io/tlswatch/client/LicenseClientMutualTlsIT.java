package io.tlswatch.client;

import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.client.state.VerdictStore;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.TestPki;
import io.tlswatch.validator.license.IssuedLicense;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK authenticating with a client certificate to a validator that asks for one ({@code tls.clientAuth
 * optional}): the validator binds the token to the certificate ({@code cnf.x5t#S256}, RFC 8705), and the SDK
 * accepts it because it is the certificate it presented.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LicenseClientMutualTlsIT {

    private RealValidator server;
    private IssuedLicense license;
    private TestPki.Issued clientCa;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates, @TempDir Path pki) throws Exception {
        clientCa = TestPki.ca("client-ca");
        server = new RealValidator(broker, certificates, Map.of("tls.clientAuth", "optional",
                "tls.clientCaFile", clientCa.write(pki, "client-ca").toString()));
        license = server.issue("mtls");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTokenBoundToTheClientCertificateIsAcceptedAndCached(@TempDir Path state) throws Exception {
        // given an installation whose TLS context presents a client certificate of the CA the validator trusts
        TestPki.Issued certificate = TestPki.client(clientCa, "inst-mtls", Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)));
        String x5t = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(certificate.certificate().getEncoded()));
        try (LicenseClient client = client(state, certificate).build()) {

            // when it validates
            LicenseStatus status = client.validate();

            // then the token is bound to the certificate, not the DPoP key, and the SDK took it
            assertThat(status.state()).as("%s", status).isEqualTo(LicenseState.VALID);
            SignedJWT token = SignedJWT.parse(status.token().orElseThrow());
            assertThat(token.getJWTClaimsSet().getJSONObjectClaim("cnf")).containsOnly(Map.entry("x5t#S256", x5t));
            assertThat(Files.readString(state.resolve(VerdictStore.FILE_NAME))).contains(x5t);
        }

        // and a restart is valid from the cache before any network
        try (LicenseClient restarted = client(state, certificate).build()) {
            assertThat(restarted.status().state()).isEqualTo(LicenseState.VALID);
        }
    }

    @Test
    void withoutACertificateTheSameValidatorBindsToTheInstallationsKey(@TempDir Path state) throws Exception {
        try (LicenseClient client = LicenseClient.builder().serverUrl(server.url()).licenseKey(license.licenseKey())
                .stateDirectory(state).trustedCas(server.caCertificate()).build()) {

            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(SignedJWT.parse(status.token().orElseThrow()).getJWTClaimsSet().getJSONObjectClaim("cnf"))
                    .containsOnly(Map.entry("jkt", client.keyThumbprint()));
        }
    }

    private LicenseClient.Builder client(Path state, TestPki.Issued certificate) throws Exception {
        return LicenseClient.builder().serverUrl(server.url()).licenseKey(license.licenseKey()).stateDirectory(state)
                .sslContext(context(server.caCertificate(), certificate)).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10));
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
