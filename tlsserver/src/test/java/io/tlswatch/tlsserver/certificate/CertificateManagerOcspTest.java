package io.tlswatch.tlsserver.certificate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.CertificateEventKind;
import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.KeyMaterialLoader;
import io.tlswatch.tlsserver.tls.ServerSslContextFactory;
import io.tlswatch.tlsserver.tls.TlsPolicy;
import io.tlswatch.tlsserver.tls.TlsSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The certificate manager's OCSP step must never cost a rotation: files on disk, no TLS server, and a responder
 * URL that fails before any connection is made.
 */
class CertificateManagerOcspTest {

    /** A host name with an underscore: common on internal networks, refused by the JDK's HTTP client. */
    private static final URI UNASKABLE = URI.create("http://ocsp_responder.internal/ocsp");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private RotationPki ca;
    private Path chain;
    private Path key;
    private final RecordingSink events = new RecordingSink();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void pki() throws Exception {
        ca = RotationPki.create("Manager CA");
        chain = dir.resolve("tls.crt");
        key = dir.resolve("tls.key");
    }

    private CertificateManager manager() throws Exception {
        Path anchors = dir.resolve("ca.pem");
        ca.writeCa(anchors);
        CertificateSettings settings = CertificateSettings.defaults("manager-test", new CertificateSource.PemFiles(chain, key))
                .withTrustAnchors(anchors)
                .withWatchInterval(Duration.ofMillis(100))
                .withMinValidityAhead(Duration.ofMinutes(1))
                .withOcsp(OcspSettings.defaults().withRetry(Duration.ofMillis(100), Duration.ofMillis(200)));
        Clock clock = Clock.systemUTC();
        CertificateLoader loader = CertificateLoader.create(settings, TlsSettings.mozillaIntermediate()
                        .withProvider(TlsSettings.ProviderPreference.JDK),
                new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of()),
                new KeyMaterialLoader(), clock);
        CertificateManager manager = new CertificateManager(settings, loader, CertificateManager.loadInitial(loader),
                new CertificateTelemetry(settings.name(), "test@manager", events, meters, clock), clock);
        manager.start();
        return manager;
    }

    private double errors() {
        return meters.get("tlswatch.certificate.ocsp.fetches").tag("outcome", "error").counter().count();
    }

    @Test
    void givenANewCertificateWhoseResponderCannotBeAsked_whenItIsRotatedIn_thenItIsServedAndItsOcspRetried()
            throws Exception {
        ca.issue(Duration.ofMinutes(10)).writeTo(chain, key); // names no responder: no OCSP at all
        try (CertificateManager manager = manager()) {
            RotationPki.Leaf next = ca.withOcspUrl(UNASKABLE).issue(Duration.ofMinutes(10));

            next.writeTo(chain, key);

            await().atMost(WAIT).until(() -> manager.currentLeaf().equals(next.certificate()));
            assertThat(events.of(CertificateEventKind.ROTATED)).singleElement()
                    .satisfies(e -> assertThat(e.serial()).isEqualTo(next.serialHex()));
            await().atMost(WAIT).until(() -> errors() >= 2);
            assertThat(events.of(CertificateEventKind.OCSP_FAILED)).first()
                    .satisfies(e -> assertThat(e.reason()).contains(UNASKABLE.toString()));
            assertThat(manager.currentStaple()).isEmpty();
        }
    }

    @Test
    void givenTheServedCertificatesResponderCannotBeAsked_whenStarted_thenTheFetchFailsAndIsRetried() throws Exception {
        ca.withOcspUrl(UNASKABLE).issue(Duration.ofMinutes(10)).writeTo(chain, key);

        try (CertificateManager manager = manager()) {
            await().atMost(WAIT).until(() -> errors() >= 2);
            assertThat(manager.currentStaple()).isEmpty();
        }
    }
}
