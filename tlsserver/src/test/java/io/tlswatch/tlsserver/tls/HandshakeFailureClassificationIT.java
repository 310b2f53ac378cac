package io.tlswatch.tlsserver.tls;

import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.tlsserver.classify.ProviderFailureClassifier;
import io.tlswatch.tlsserver.classify.FailureVerdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tlswatch.contract.event.FailureReason.BAD_CERTIFICATE;
import static io.tlswatch.contract.event.FailureReason.CERTIFICATE_EXPIRED;
import static io.tlswatch.contract.event.FailureReason.CLOSED_BY_CLIENT;
import static io.tlswatch.contract.event.FailureReason.HANDSHAKE_TIMEOUT;
import static io.tlswatch.contract.event.FailureReason.NOT_TLS;
import static io.tlswatch.contract.event.FailureReason.NO_SHARED_CIPHER;
import static io.tlswatch.contract.event.FailureReason.NO_SHARED_GROUP;
import static io.tlswatch.contract.event.FailureReason.PROTOCOL_VERSION;
import static io.tlswatch.contract.event.FailureReason.UNKNOWN_CA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Real clients fail against a real Netty server in every way the classifier knows, on both providers; the server's
 * view (the handshake event's cause, the first bytes, the ClientHello, a cleartext alert) must classify the same.
 */
class HandshakeFailureClassificationIT {

    /**
     * Short, so that "connect and say nothing" ends soon, yet long enough for a real client (openssl, curl) on a
     * busy machine to finish its side of every other scenario: at 300 ms a slow openssl start was classified as
     * the timeout instead of its bad certificate.
     */
    private static final Duration HANDSHAKE_TIMEOUT_FOR_TEST = Duration.ofSeconds(3);
    private static final List<TlsSettings.ProviderPreference> PROVIDERS =
            List.of(TlsSettings.ProviderPreference.OPENSSL, TlsSettings.ProviderPreference.JDK);

    @TempDir
    static Path dir;

    private static Path devCa;
    private static Path strangerCa;
    private static Path expiredServerCa;
    private static final Map<TlsSettings.ProviderPreference, Map<Server, ServerTlsContext>> CONTEXTS =
            new EnumMap<>(TlsSettings.ProviderPreference.class);

    /** The server configurations the scenarios run against. */
    enum Server {
        /** The defaults with the development certificate. */
        DEFAULT,
        /** Client certificates required. */
        MUTUAL_TLS,
        /** A server certificate that expired yesterday. */
        EXPIRED_CERTIFICATE
    }

    /** A client that fails one way. */
    interface Client {
        void connect(int port) throws Exception;
    }

    @BeforeAll
    static void serversAndCertificates() throws Exception {
        DevCertificateFiles dev = new DevCertificates(dir.resolve("dev"), List.of(), Clock.systemUTC()).ensure();
        devCa = dev.caCertificate();
        Instant now = Instant.now();
        TestPki.Issued clientCa = TestPki.ca("client CA");
        Path clientCaFile = clientCa.write(dir, "client-ca");
        TestPki.client(clientCa, "expired client", now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))
                .write(dir, "expired-client");
        TestPki.client(TestPki.ca("stranger CA"), "stranger", now.minus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(1))).write(dir, "stranger-client");
        strangerCa = TestPki.ca("nobody trusts this").write(dir, "stranger-ca");
        TestPki.Issued serverCa = TestPki.ca("server CA");
        expiredServerCa = serverCa.write(dir, "server-ca");
        Path expiredServer = TestPki.leaf(serverCa, "localhost", TestPki.ec(), now.minus(Duration.ofDays(10)),
                now.minus(Duration.ofDays(1)), org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth)
                .write(dir, "expired-server");

        ServerSslContextFactory factory =
                new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of("http/1.1"));
        for (TlsSettings.ProviderPreference provider : PROVIDERS) {
            TlsSettings settings = TlsSettings.mozillaIntermediate().withCertificate(dev.certificateSource())
                    .withProvider(provider);
            Map<Server, ServerTlsContext> contexts = new EnumMap<>(Server.class);
            contexts.put(Server.DEFAULT, factory.create(settings));
            contexts.put(Server.MUTUAL_TLS, factory.create(
                    settings.withClientAuth(TlsSettings.ClientAuthMode.REQUIRE, clientCaFile)));
            contexts.put(Server.EXPIRED_CERTIFICATE, factory.create(settings.withCertificate(
                    new CertificateSource.PemFiles(expiredServer, dir.resolve("expired-server-key.pem")))));
            CONTEXTS.put(provider, contexts);
        }
    }

    static Stream<Arguments> failures() {
        List<Arguments> all = new ArrayList<>();
        for (TlsSettings.ProviderPreference provider : PROVIDERS) {
            for (Scenario scenario : scenarios()) {
                all.add(Arguments.of(provider, scenario));
            }
        }
        return all.stream();
    }

    record Scenario(String name, Server server, FailureReason expected, Client client) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static List<Scenario> scenarios() {
        return List.of(
                new Scenario("openssl TLS 1.0", Server.DEFAULT, PROTOCOL_VERSION,
                        port -> TlsClients.openssl(port, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0")),
                new Scenario("openssl TLS 1.1", Server.DEFAULT, PROTOCOL_VERSION,
                        port -> TlsClients.openssl(port, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0")),
                new Scenario("curl TLS 1.0", Server.DEFAULT, PROTOCOL_VERSION,
                        port -> TlsClients.curl("--insecure", "--tlsv1.0", "--tls-max", "1.0", "--ciphers",
                                "DEFAULT@SECLEVEL=0", "https://127.0.0.1:" + port + "/")),
                new Scenario("old Java TLS 1.0", Server.DEFAULT, PROTOCOL_VERSION,
                        port -> TlsClients.oldJava(port, "TLSv1", dir)),
                new Scenario("old Java TLS 1.1", Server.DEFAULT, PROTOCOL_VERSION,
                        port -> TlsClients.oldJava(port, "TLSv1.1", dir)),
                new Scenario("CBC with RSA key exchange only", Server.DEFAULT, NO_SHARED_CIPHER,
                        port -> TlsClients.openssl(port, "-tls1_2", "-cipher", "AES128-SHA")),
                new Scenario("ECDHE with CBC only", Server.DEFAULT, NO_SHARED_CIPHER,
                        port -> TlsClients.openssl(port, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA")),
                new Scenario("RSA suites against an ECDSA certificate", Server.DEFAULT, NO_SHARED_CIPHER,
                        port -> TlsClients.openssl(port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256")),
                new Scenario("TLS 1.3 with ffdhe2048 only", Server.DEFAULT, NO_SHARED_GROUP,
                        port -> TlsClients.openssl(port, "-tls1_3", "-groups", "ffdhe2048")),
                new Scenario("TLS 1.2 with ffdhe2048 only", Server.DEFAULT, NO_SHARED_GROUP,
                        port -> TlsClients.openssl(port, "-tls1_2", "-groups", "ffdhe2048")),
                new Scenario("TLS 1.3 with P-521 only", Server.DEFAULT, NO_SHARED_GROUP,
                        port -> TlsClients.openssl(port, "-tls1_3", "-groups", "secp521r1")),
                new Scenario("TLS 1.2 with P-521 only", Server.DEFAULT, NO_SHARED_GROUP,
                        port -> TlsClients.openssl(port, "-tls1_2", "-curves", "secp521r1")),
                new Scenario("openssl TLS 1.3 not trusting the CA", Server.DEFAULT, UNKNOWN_CA,
                        port -> TlsClients.openssl(port, "-tls1_3", "-verify_return_error", "-CAfile",
                                strangerCa.toString())),
                new Scenario("openssl TLS 1.2 not trusting the CA", Server.DEFAULT, UNKNOWN_CA,
                        port -> TlsClients.openssl(port, "-tls1_2", "-verify_return_error", "-CAfile",
                                strangerCa.toString())),
                new Scenario("curl not trusting the CA", Server.DEFAULT, UNKNOWN_CA,
                        port -> TlsClients.curl("--cacert", strangerCa.toString(), "--resolve",
                                "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/")),
                new Scenario("JDK not trusting the CA", Server.DEFAULT, UNKNOWN_CA,
                        port -> TlsClients.jdk(port, SSLContext.getDefault())),
                new Scenario("openssl TLS 1.2 seeing an expired certificate", Server.EXPIRED_CERTIFICATE,
                        CERTIFICATE_EXPIRED, port -> TlsClients.openssl(port, "-tls1_2", "-verify_return_error",
                        "-CAfile", expiredServerCa.toString())),
                new Scenario("openssl TLS 1.3 seeing an expired certificate", Server.EXPIRED_CERTIFICATE,
                        CERTIFICATE_EXPIRED, port -> TlsClients.openssl(port, "-tls1_3", "-verify_return_error",
                        "-CAfile", expiredServerCa.toString())),
                new Scenario("mTLS TLS 1.3 without a certificate", Server.MUTUAL_TLS, BAD_CERTIFICATE,
                        port -> TlsClients.openssl(port, "-tls1_3")),
                new Scenario("mTLS TLS 1.2 without a certificate", Server.MUTUAL_TLS, BAD_CERTIFICATE,
                        port -> TlsClients.openssl(port, "-tls1_2")),
                new Scenario("mTLS JDK client without a certificate", Server.MUTUAL_TLS, BAD_CERTIFICATE,
                        port -> TlsClients.jdk(port, trustingDevCa())),
                new Scenario("mTLS with an expired client certificate", Server.MUTUAL_TLS, CERTIFICATE_EXPIRED,
                        port -> TlsClients.openssl(port, "-cert", dir.resolve("expired-client.pem").toString(),
                                "-key", dir.resolve("expired-client-key.pem").toString())),
                new Scenario("mTLS with a client certificate from an unknown CA", Server.MUTUAL_TLS, UNKNOWN_CA,
                        port -> TlsClients.openssl(port, "-cert", dir.resolve("stranger-client.pem").toString(),
                                "-key", dir.resolve("stranger-client-key.pem").toString())),
                new Scenario("plain HTTP", Server.DEFAULT, NOT_TLS,
                        port -> TlsClients.curl("http://127.0.0.1:" + port + "/")),
                new Scenario("connect then close", Server.DEFAULT, CLOSED_BY_CLIENT, TlsClients::connectAndClose),
                new Scenario("half a ClientHello then close", Server.DEFAULT, CLOSED_BY_CLIENT,
                        port -> TlsClients.sendAndClose(port, new byte[]{22, 3, 1, 0, 50, 1, 0})),
                new Scenario("connect and say nothing", Server.DEFAULT, HANDSHAKE_TIMEOUT,
                        TlsClients::connectAndWait));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("failures")
    void classifiesTheFailureAsTheServerSeesIt(TlsSettings.ProviderPreference provider, Scenario scenario)
            throws Exception {
        // given
        assumeThat(TlsClients.opensslPresent() && TlsClients.curlPresent()).as("openssl and curl").isTrue();
        ServerTlsContext context = CONTEXTS.get(provider).get(scenario.server());
        ProviderFailureClassifier classifier = new ProviderFailureClassifier(context.enabled());

        try (TestTlsServer server = TestTlsServer.start(context, HANDSHAKE_TIMEOUT_FOR_TEST)) {
            // when
            scenario.client().connect(server.port());
            TestTlsServer.Outcome outcome = server.next();

            // then
            assertThat(outcome.success()).as("handshake succeeded").isFalse();
            FailureVerdict classification = classifier.classify(outcome.failure());
            assertThat(classification.reason()).as("classified from: %s", classification.message())
                    .isEqualTo(scenario.expected());
            assertThat(classification.message()).isNotBlank().doesNotContain("474554"); // never the HTTP bytes
        }
    }

    private static SSLContext trustingDevCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("dev-ca", KeyMaterialLoader.readCertificates(devCa, "test").get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        kmf.init(empty, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }
}
