package io.tlswatch.collector;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.testing.RawTlsClient;
import io.tlswatch.tlsserver.testing.RawTlsClient.Ending;
import io.tlswatch.tlsserver.testing.ScrapedSeries;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The collector's HTTPS listener ends a connection as the validator does (docs/tls.md): a record with one byte
 * flipped gets bad_record_mac and the close, a close_notify its answer and the close, both within a second
 * rather than at the idle timeout, with one handshake event and the connection slot back. On the default
 * provider (OpenSSL); {@link CollectorTlsClosesJdkProviderIT} on the JDK's.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorTlsClosesIT {

    private static final Duration AT_ONCE = Duration.ofSeconds(1);
    private static final String ACTIVE = "tlswatch_connections_active{listener=\"collector-tls\",service=\"collector\"} 0.0";

    private KafkaBroker broker;
    private Collector collector;
    private SSLContext trust;
    /** Earlier tests' events stay in the topic and the kernel may reuse a client port: count from here on. */
    private Instant testStarted;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        this.broker = broker;
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(), Clock.systemUTC())
                .ensure();
        trust = CollectorIT.trusting(dev.caCertificate());
        collector = Collector.start(CollectorConfig.from(ConfigSource.of(Map.of("http.port", "0",
                "https.port", "0", "admin.port", "0", "server.host", "127.0.0.1", "admin.host", "127.0.0.1",
                "tls.provider", provider(), "tls.devCertificateDir", certificates.toString(),
                "kafka.bootstrap.servers", broker.bootstrapServers()))), Clock.systemUTC());
        // The first handshake of a JVM is slow (JSSE initialises): not part of any measurement below.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (RawTlsClient warm = RawTlsClient.handshake(trust, collector.httpsPort(), "TLSv1.3")) {
                assertThat(warm.protocol()).isEqualTo("TLSv1.3");
            }
        });
    }

    /** The provider under test, as {@code tls.provider} names it. */
    String provider() {
        return "openssl";
    }

    @AfterAll
    void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aRecordWithOneByteFlippedGetsBadRecordMacAndTheConnectionClosedAtOnce(String protocol) throws Exception {
        // given an established connection
        ScrapedSeries before = scrape();
        try (RawTlsClient client = RawTlsClient.handshake(trust, collector.httpsPort(), protocol)) {
            byte[] record = client.applicationRecord("POST /v1/reports HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            record[record.length - 1] ^= 0x01;

            // when it sends a record with one byte of its authentication tag flipped
            client.send(record);
            Ending ending = client.readUntilClosed();

            // then
            assertThat(ending.alert()).isEqualTo("bad_record_mac");
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            assertOneSuccessfulHandshake(client.localPort());
            assertClosedAndFreed(before, "fatal_alert");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeNotifyIsAnsweredAndTheConnectionClosedAtOnce(String protocol) throws Exception {
        // given an established connection
        ScrapedSeries before = scrape();
        try (RawTlsClient client = RawTlsClient.handshake(trust, collector.httpsPort(), protocol)) {

            // when the client sends close_notify and keeps its socket open
            client.sendCloseNotify();
            Ending ending = client.readUntilClosed();

            // then
            assertThat(ending.alert()).isEqualTo("close_notify");
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            assertOneSuccessfulHandshake(client.localPort());
            assertClosedAndFreed(before, "close_notify");
        }
    }

    @BeforeEach
    void markTheStart() {
        testStarted = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private ScrapedSeries scrape() {
        return ScrapedSeries.of(collector.meters().scrape());
    }

    private void assertOneSuccessfulHandshake(int clientPort) {
        List<HandshakeEvent> events = ReportTopic.handshakes(broker.settings(), e -> "collector-tls".equals(e.listener())
                && e.localPort() == collector.httpsPort() && e.remotePort() == clientPort && !e.time().isBefore(testStarted));
        assertThat(events).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(HandshakeOutcome.SUCCESS));
    }

    private void assertClosedAndFreed(ScrapedSeries before, String reason) {
        assertThat(scrape().movedSince(before, "tlswatch_tls_closes_total{", "reason=\"" + reason + "\""))
                .as("closes for %s", reason).isEqualTo(1);
        await().atMost(AT_ONCE).untilAsserted(() -> assertThat(collector.meters().scrape()).contains(ACTIVE));
    }
}
