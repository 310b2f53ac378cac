package io.tlswatch.client.report;

import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.tlsserver.tls.TestPki;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every class from a real failure: the SDK's own HTTP transport against a real JDK TLS server misconfigured in
 * exactly one way, and the exception the runtime threw, classified.
 */
class TlsFailureClassifierTest {

    private static final List<String> MODERN = List.of("TLSv1.2", "TLSv1.3");
    private static TestPki.Issued ca;
    private static Path caPem;

    private final TlsFailureClassifier classifier = new TlsFailureClassifier();

    @BeforeAll
    static void pki(@TempDir Path directory) throws Exception {
        ca = TestPki.ca("classifier test CA");
        caPem = ca.write(directory, "ca");
    }

    @Test
    void anExpiredServerCertificateIsADateError() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued expired = TestPki.leaf(ca, "localhost", TestPki.ec(), now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), KeyPurposeId.id_kp_serverAuth);
        try (TlsTestServer server = TlsTestServer.tls(expired, ca, MODERN, List.of())) {
            Classification result = classifier.classify(failure(trusting(), "localhost", server.port()));

            assertThat(result.errorClass()).isEqualTo(ErrorClass.CERT_DATE_INVALID);
            assertThat(result.reportable()).isTrue();
            assertThat(result.message()).contains("SSLHandshakeException");
        }
    }

    @Test
    void aCertificateNotValidYetIsADateError() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued future = TestPki.leaf(ca, "localhost", TestPki.ec(), now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(30)), KeyPurposeId.id_kp_serverAuth);
        try (TlsTestServer server = TlsTestServer.tls(future, ca, MODERN, List.of())) {
            assertThat(classifier.classify(failure(trusting(), "localhost", server.port())).errorClass())
                    .isEqualTo(ErrorClass.CERT_DATE_INVALID);
        }
    }

    @Test
    void aServerUnderAnUnknownCaIsAnAuthorityError() throws Exception {
        TestPki.Issued otherCa = TestPki.ca("a CA the client never heard of");
        try (TlsTestServer server = TlsTestServer.tls(TestPki.server(otherCa, TestPki.ec()), otherCa, MODERN,
                List.of())) {
            Classification result = classifier.classify(failure(trusting(), "localhost", server.port()));

            assertThat(result.errorClass()).isEqualTo(ErrorClass.CERT_AUTHORITY_INVALID);
            assertThat(result.reportable()).isTrue();
        }
    }

    @Test
    void theRuntimesOwnTrustStoreDoesNotKnowATestCa() throws Exception {
        try (TlsTestServer server = TlsTestServer.tls(TestPki.server(ca, TestPki.ec()), ca, MODERN, List.of())) {
            ClientTls jdkTrust = ClientTls.create(null, List.of(), List.of());

            assertThat(classifier.classify(failure(jdkTrust, "localhost", server.port())).errorClass())
                    .isEqualTo(ErrorClass.CERT_AUTHORITY_INVALID);
        }
    }

    @Test
    void aCertificateForAnotherNameIsANameError() throws Exception {
        // The certificate names localhost; the client connects to the address.
        try (TlsTestServer server = TlsTestServer.tls(TestPki.server(ca, TestPki.ec()), ca, MODERN, List.of())) {
            Classification result = classifier.classify(failure(trusting(), "127.0.0.1", server.port()));

            assertThat(result.errorClass()).isEqualTo(ErrorClass.CERT_NAME_INVALID);
        }
    }

    @Test
    void aTls10OnlyClientAgainstATls12Server() throws Exception {
        try (TlsTestServer server = TlsTestServer.tls(TestPki.server(ca, TestPki.ec()), ca, MODERN, List.of())) {
            ClientTls old = ClientTls.create(caPem, List.of("TLSv1"), List.of());

            Classification result = classifier.classify(failure(old, "localhost", server.port()));

            assertThat(result.errorClass()).isEqualTo(ErrorClass.VERSION_OR_CIPHER_MISMATCH);
            assertThat(result.message()).contains("No appropriate protocol");
        }
    }

    @Test
    void aTls12OnlyClientAgainstATls13OnlyServerIsRefusedByTheServersAlert() throws Exception {
        try (TlsTestServer server = TlsTestServer.tls(TestPki.server(ca, TestPki.ec()), ca, List.of("TLSv1.3"),
                List.of())) {
            ClientTls tls12 = ClientTls.create(caPem, List.of("TLSv1.2"), List.of());

            Classification result = classifier.classify(failure(tls12, "localhost", server.port()));

            assertThat(result.errorClass()).isEqualTo(ErrorClass.VERSION_OR_CIPHER_MISMATCH);
            assertThat(result.message()).containsIgnoringCase("protocol_version");
        }
    }

    @Test
    void noCipherSuiteInCommonIsAMismatch() throws Exception {
        try (TlsTestServer server = TlsTestServer.tls(TestPki.server(ca, TestPki.ec()), ca, List.of("TLSv1.2"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))) {
            ClientTls client = ClientTls.create(caPem, List.of("TLSv1.2"),
                    List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));

            Classification result = classifier.classify(failure(client, "localhost", server.port()));

            assertThat(result.errorClass()).isEqualTo(ErrorClass.VERSION_OR_CIPHER_MISMATCH);
            assertThat(result.message()).contains("handshake_failure");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (TlsTestServer server = TlsTestServer.silent()) {
            HttpTransport impatient = new HttpTransport(trusting(), Duration.ofSeconds(2), Duration.ofMillis(300));

            Throwable failure = catchThrowable(() -> impatient.get(URI.create("https://localhost:" + server.port() + "/")));

            Classification result = classifier.classify(failure);
            assertThat(result.errorClass()).isEqualTo(ErrorClass.TIMED_OUT);
            assertThat(result.reportable()).isTrue();
        }
    }

    @Test
    void aServerThatDoesNotSpeakTlsIsAProtocolError() throws Exception {
        try (TlsTestServer server = TlsTestServer.plain()) {
            Classification result = classifier.classify(failure(trusting(), "localhost", server.port()));

            assertThat(result.errorClass()).isEqualTo(ErrorClass.PROTOCOL_ERROR);
            assertThat(result.reportable()).isTrue();
        }
    }

    @Test
    void aRefusedConnectionIsNotATlsFailureAndIsNotReported() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }

        Classification result = classifier.classify(failure(trusting(), "localhost", port));

        assertThat(result.errorClass()).isEqualTo(ErrorClass.REFUSED);
        assertThat(result.reportable()).isFalse();
    }

    @Test
    void aHealthyServerGivesNoFailure() throws Exception {
        try (TlsTestServer server = TlsTestServer.tls(TestPki.server(ca, TestPki.ec()), ca, MODERN, List.of())) {
            HttpTransport http = new HttpTransport(trusting(), Duration.ofSeconds(5), Duration.ofSeconds(5));

            assertThat(http.get(URI.create("https://localhost:" + server.port() + "/")).status()).isEqualTo(200);
        }
    }

    private static ClientTls trusting() throws Exception {
        return ClientTls.create(caPem, List.of(), List.of());
    }

    private static Throwable failure(ClientTls tls, String host, int port) {
        HttpTransport http = new HttpTransport(tls, Duration.ofSeconds(5), Duration.ofSeconds(5));
        Throwable failure = catchThrowable(() -> http.get(URI.create("https://" + host + ":" + port + "/")));
        assertThat(failure).as("the request must fail").isNotNull();
        return failure;
    }
}
