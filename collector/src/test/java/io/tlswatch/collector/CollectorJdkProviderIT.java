package io.tlswatch.collector;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.tlsserver.tls.TlsClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The collector on the JDK's TLS provider: reports over TLS 1.3 arrive as on OpenSSL, and a TLS 1.0 client,
 * which this JVM's {@code jdk.tls.disabledAlgorithms} still blocks, is recorded as a failed handshake of the
 * collector's listener rather than lost (docs/collector.md).
 */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorJdkProviderIT {

    @Test
    void reportsArriveOverTheJdkProviderAndABlockedTls10ClientIsRecorded(KafkaBroker broker, @TempDir Path certificates)
            throws Exception {
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(), Clock.systemUTC())
                .ensure();
        try (Collector collector = Collector.start(CollectorConfig.from(ConfigSource.of(Map.of("http.port", "0",
                "https.port", "0", "admin.port", "0", "server.host", "127.0.0.1", "admin.host", "127.0.0.1",
                "tls.provider", "jdk", "tls.devCertificateDir", certificates.toString(),
                "kafka.bootstrap.servers", broker.bootstrapServers()))), Clock.systemUTC())) {
            assertThat(collector.tls().provider()).isEqualTo(TlsProvider.JDK);

            // a report over TLS 1.3
            String reportId = ReportJson.newId();
            HttpClient http = HttpClient.newBuilder().sslContext(CollectorIT.trusting(dev.caCertificate())).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + collector.httpsPort() + "/v1/reports"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(ReportJson.report(reportId, "inst-" + UUID.randomUUID())))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(202);
            ClientReportEvent event = ReportTopic.one(broker.settings(), e -> reportId.equals(e.reportId()));
            assertThat(event.arrival().tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(event.arrival().ja4()).startsWith("t13");

            // a TLS 1.0-only client
            assumeThat(TlsClients.opensslPresent()).as("openssl is installed").isTrue();
            java.time.Instant before = java.time.Instant.now().minusSeconds(1);
            TlsClients.openssl(collector.httpsPort(), "-tls1", "-cipher", "DEFAULT@SECLEVEL=0");
            HandshakeEvent handshake = ReportTopic.handshake(broker.settings(), h -> "collector-tls".equals(h.listener())
                    && h.localPort() == collector.httpsPort() && h.outcome() == HandshakeOutcome.FAILURE
                    && h.time().isAfter(before));
            assertThat(handshake.tlsProvider()).isEqualTo(TlsProvider.JDK);
            assertThat(handshake.failureReason()).isEqualTo(FailureReason.PROTOCOL_VERSION);
            assertThat(handshake.clientHello().highestOfferedVersion()).isEqualTo("TLSv1");
        }
    }
}
