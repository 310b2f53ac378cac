package io.tlswatch.tlsserver.certificate;

import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.CertificateEventKind;
import io.tlswatch.contract.event.OcspStatus;
import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.TlsClients;
import io.tlswatch.tlsserver.tls.TlsSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * OCSP stapling against a real responder on loopback (BouncyCastle behind the JDK's HTTP server), checked with a
 * real client that asks for the staple: {@code openssl s_client -status}.
 */
class OcspStaplingIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private RotationPki pki;
    private TestOcspResponder responder;
    private Path chain;
    private Path key;
    private Path caFile;

    @BeforeEach
    void pki() throws Exception {
        assumeThat(TlsClients.opensslPresent()).as("openssl").isTrue();
        RotationPki ca = RotationPki.create("OCSP CA");
        responder = TestOcspResponder.start(ca);
        pki = ca.withOcspUrl(responder.url());
        chain = dir.resolve("tls.crt");
        key = dir.resolve("tls.key");
        caFile = dir.resolve("ca.pem");
        pki.writeCa(caFile);
    }

    @AfterEach
    void stop() {
        if (responder != null) {
            responder.close();
        }
    }

    private CertificateSettings settings() {
        return CertificateSettings.defaults("ocsp-test", new CertificateSource.PemFiles(chain, key))
                .withTrustAnchors(caFile)
                .withWatchInterval(Duration.ofMillis(200))
                .withMinValidityAhead(Duration.ofMinutes(1))
                .withOcsp(OcspSettings.defaults().withRetry(Duration.ofMillis(500), Duration.ofSeconds(1)));
    }

    private RotationPki.Leaf issueGood() throws Exception {
        RotationPki.Leaf leaf = pki.issue(Duration.ofMinutes(10));
        responder.set(leaf.certificate().getSerialNumber(), TestOcspResponder.Status.GOOD);
        return leaf;
    }

    /** What {@code openssl s_client -status} says about the staple. */
    private String status(int port) throws Exception {
        TlsClients.Result result = TlsClients.openssl(port, "-status", "-CAfile", caFile.toString());
        assertThat(result.output()).contains("BEGIN CERTIFICATE");
        return result.output();
    }

    private static boolean stapledGood(String output) {
        return output.contains("OCSP Response Status: successful") && output.contains("Cert Status: good");
    }

    private static boolean notStapled(String output) {
        return output.contains("OCSP response: no response sent");
    }

    @Test
    void givenAGoodResponse_whenAClientAsksForTheStatus_thenItIsStapled_andARotatedCertificateGetsItsOwn()
            throws Exception {
        RotationPki.Leaf first = issueGood();
        first.writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(settings(), TlsSettings.ProviderPreference.OPENSSL)) {
            assertThat(server.manager.staples()).isTrue();
            String output = status(server.port());
            assertThat(stapledGood(output)).as(output).isTrue();
            assertThat(output).containsPattern("Serial Number: 0*" + first.serialHex().toUpperCase() + "\\n");
            CertificateEvent refreshed = server.events.of(CertificateEventKind.OCSP_REFRESHED).get(0);
            assertThat(refreshed.serial()).isEqualTo(first.serialHex());
            assertThat(refreshed.ocsp().status()).isEqualTo(OcspStatus.GOOD);
            assertThat(refreshed.ocsp().responderUrl()).isEqualTo(responder.url().toString());
            assertThat(server.meters.get("tlswatch.certificate.ocsp.stapled").gauge().value()).isEqualTo(1.0);
            assertThat(server.counter("tlswatch.certificate.ocsp.fetches", "good")).isEqualTo(1.0);
            // a JDK client asking for the status (status_request) gets exactly the checked response
            try (TrustingClient.Connection jdk = new TrustingClient(pki.ca).connect(server.port())) {
                assertThat(jdk.statusResponses()).singleElement()
                        .isEqualTo(server.manager.currentStaple().orElseThrow());
            }

            RotationPki.Leaf second = issueGood();
            second.writeTo(chain, key);
            await().atMost(WAIT).until(() -> server.manager.currentLeaf().equals(second.certificate()));
            String after = status(server.port());
            assertThat(stapledGood(after)).as(after).isTrue();
            assertThat(after).containsPattern("Serial Number: 0*" + second.serialHex().toUpperCase() + "\\n");
        }
    }

    @Test
    void givenAShortLivedResponse_whenHalfItsLifetimeHasPassed_thenAFreshOneIsFetchedAndStapled() throws Exception {
        responder.lifetime(Duration.ofSeconds(4));
        issueGood().writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(settings(), TlsSettings.ProviderPreference.OPENSSL)) {
            CertificateEvent first = server.events.of(CertificateEventKind.OCSP_REFRESHED).get(0);

            await().atMost(WAIT).until(() -> server.events.of(CertificateEventKind.OCSP_REFRESHED).size() >= 2);

            CertificateEvent second = server.events.of(CertificateEventKind.OCSP_REFRESHED).get(1);
            Instant half = first.ocsp().thisUpdate().plus(
                    Duration.between(first.ocsp().thisUpdate(), first.ocsp().nextUpdate()).dividedBy(2));
            assertThat(second.time()).isAfterOrEqualTo(half.minusMillis(1)).isBefore(first.ocsp().nextUpdate());
            assertThat(second.ocsp().nextUpdate()).isAfter(first.ocsp().nextUpdate());
            assertThat(server.events.of(CertificateEventKind.OCSP_FAILED)).isEmpty();
            assertThat(stapledGood(status(server.port()))).isTrue();
        }
    }

    @Test
    void givenTheResponderGoesDown_whenRefreshesFail_thenTheLastGoodResponseIsStapledUntilItsNextUpdateOnly()
            throws Exception {
        responder.lifetime(Duration.ofSeconds(10));
        issueGood().writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(settings(), TlsSettings.ProviderPreference.OPENSSL)) {
            Instant nextUpdate = server.events.of(CertificateEventKind.OCSP_REFRESHED).get(0).ocsp().nextUpdate();
            assertThat(stapledGood(status(server.port()))).isTrue();

            responder.down(true);
            server.manager.refreshOcspNow().get(10, TimeUnit.SECONDS);

            assertThat(server.events.of(CertificateEventKind.OCSP_FAILED)).isNotEmpty().first().satisfies(e -> {
                assertThat(e.reason()).contains("HTTP 503");
                assertThat(e.ocsp().status()).isNull();
            });
            assertThat(Instant.now()).isBefore(nextUpdate);
            String stillStapled = status(server.port());
            assertThat(stapledGood(stillStapled)).as(stillStapled).isTrue();

            await().atMost(WAIT).until(() -> notStapled(status(server.port())));
            assertThat(Instant.now()).isAfterOrEqualTo(nextUpdate);
            assertThat(server.meters.get("tlswatch.certificate.ocsp.stapled").gauge().value()).isZero();
            assertThat(server.counter("tlswatch.certificate.ocsp.fetches", "error")).isGreaterThanOrEqualTo(1.0);
        }
    }

    @Test
    void givenTheCertificateIsRevoked_whenTheResponseIsFetched_thenNothingIsStapledAndARevocationEventIsRaised()
            throws Exception {
        RotationPki.Leaf leaf = issueGood();
        leaf.writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(settings(), TlsSettings.ProviderPreference.OPENSSL)) {
            assertThat(stapledGood(status(server.port()))).isTrue();

            responder.set(leaf.certificate().getSerialNumber(), TestOcspResponder.Status.REVOKED);
            server.manager.refreshOcspNow().get(10, TimeUnit.SECONDS);

            assertThat(server.events.of(CertificateEventKind.OCSP_REVOKED)).singleElement().satisfies(e -> {
                assertThat(e.serial()).isEqualTo(leaf.serialHex());
                assertThat(e.reason()).isEqualTo("keyCompromise");
                assertThat(e.ocsp().status()).isEqualTo(OcspStatus.REVOKED);
                assertThat(e.ocsp().revokedAt()).isNotNull();
            });
            String output = status(server.port());
            assertThat(notStapled(output)).as(output).isTrue();
            assertThat(server.manager.currentStaple()).isEmpty();
            assertThat(server.counter("tlswatch.certificate.ocsp.fetches", "revoked")).isEqualTo(1.0);
        }
    }

    @Test
    void givenAnUnknownCertificate_whenTheResponseIsFetched_thenNothingIsStapledAndTheFailureIsReported()
            throws Exception {
        RotationPki.Leaf leaf = pki.issue(Duration.ofMinutes(10)); // the responder never heard of it
        leaf.writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(settings(), TlsSettings.ProviderPreference.OPENSSL)) {
            assertThat(notStapled(status(server.port()))).isTrue();
            assertThat(server.events.of(CertificateEventKind.OCSP_FAILED)).first().satisfies(e -> {
                assertThat(e.ocsp().status()).isEqualTo(OcspStatus.UNKNOWN);
                assertThat(e.reason()).contains("unknown");
            });
        }
    }

    @Test
    void givenTheJdkProvider_whenAGoodResponseIsFetched_thenItIsCheckedAndReportedButNotStapled() throws Exception {
        issueGood().writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(settings(), TlsSettings.ProviderPreference.JDK)) {
            assertThat(server.manager.staples()).isFalse();
            assertThat(server.events.of(CertificateEventKind.OCSP_REFRESHED)).hasSize(1);
            String output = status(server.port());
            assertThat(notStapled(output)).as(output).isTrue();
            assertThat(server.manager.currentStaple()).isEmpty();
            assertThat(server.meters.get("tlswatch.certificate.ocsp.stapled").gauge().value()).isZero();
            assertThat(server.counter("tlswatch.certificate.ocsp.fetches", "good")).isEqualTo(1.0);
        }
    }
}
