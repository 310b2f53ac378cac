package io.tlswatch.collector;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.tlsserver.certificate.RotationPki;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.CertificateEventKind;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The collector's HTTPS listener serves its certificate through the certificate manager, as the validator does:
 * renewed files are picked up without a restart, and the rotation is reported as a certificate event named
 * {@code collector} (docs/collector.md, docs/operations.md).
 */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorCertificateIT {

    @Test
    void rotatedCertificateIsServedToNewConnectionsWithoutARestart(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        // given a collector serving a short-lived certificate from files, watched every 200 ms
        RotationPki pki = RotationPki.create("collector-test-ca");
        Path chain = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        Path ca = dir.resolve("ca.pem");
        pki.writeCa(ca);
        RotationPki.Leaf first = pki.issue(Duration.ofHours(2));
        first.writeTo(chain, key);
        Map<String, String> settings = new HashMap<>(Map.of("http.port", "0", "https.port", "0", "admin.port", "0",
                "server.host", "127.0.0.1", "admin.host", "127.0.0.1", "kafka.bootstrap.servers",
                broker.bootstrapServers()));
        settings.putAll(Map.of("tls.certificate", chain.toString(), "tls.privateKey", key.toString(),
                "tls.trustAnchors", ca.toString(), "tls.watch.interval", "200ms", "ocsp.enabled", "false"));
        try (Collector collector = Collector.start(CollectorConfig.from(ConfigSource.of(settings)),
                Clock.systemUTC())) {
            assertThat(servedSerial(collector.httpsPort(), pki.ca)).isEqualTo(first.certificate().getSerialNumber());

            // when the files are renewed in place
            RotationPki.Leaf second = pki.issue(Duration.ofHours(2));
            second.writeTo(chain, key);

            // then new connections get the new certificate, reports keep arriving over it, and the rotation is told
            await().atMost(Duration.ofSeconds(30)).until(() -> servedSerial(collector.httpsPort(), pki.ca)
                    .equals(second.certificate().getSerialNumber()));
            HttpResponse<String> response = HttpClient.newBuilder().sslContext(trusting(pki.ca)).build().send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + collector.httpsPort() + "/v1/reports"))
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                            .POST(HttpRequest.BodyPublishers.ofString(ReportJson.report(ReportJson.newId(),
                                    "inst-" + UUID.randomUUID()))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
            CertificateEvent rotated = ReportTopic.certificate(broker.settings(), e -> e.kind()
                    == CertificateEventKind.ROTATED && second.serialHex().equals(e.serial()));
            assertThat(rotated.certificateName()).isEqualTo("collector");
            assertThat(rotated.previousSerial()).isEqualTo(first.serialHex());
            assertThat(rotated.source()).startsWith("collector@");
        }
    }

    /** The serial a fresh connection (no session to resume) is served. */
    private static BigInteger servedSerial(int port, X509Certificate ca) throws Exception {
        try (SSLSocket socket = (SSLSocket) trusting(ca).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
