package io.tlswatch.validator;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.testing.RawTlsClient;
import io.tlswatch.tlsserver.testing.RawTlsClient.Ending;
import io.tlswatch.tlsserver.testing.ScrapedSeries;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.clienthello.ClientHelloSummaries;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the validator ends a connection it refuses, met by a raw TLS client that controls every byte: an
 * application-data record with one byte flipped, a close_notify, a heartbeat record, a 70 KiB ClientHello and a
 * ClientHello with a zero-length application_data record between its fragments. Each must get its alert and the
 * TCP close within a second (not the idle timeout), one handshake event, a {@code tlswatch.tls.closes} count and
 * its connection slot back. Runs on the default provider (OpenSSL); {@link ValidatorTlsClosesJdkProviderIT} runs
 * the same on the JDK's.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidatorTlsClosesIT {

    /** At once, as a person or a conformance suite would measure it; the idle timeout is 60 s. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);
    private static final byte[] REQUEST = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private KafkaBroker broker;
    private Validator validator;
    private SSLContext trust;
    /**
     * When the current test began: the handshakes topic holds every earlier test's events too, and the kernel may
     * hand this test's connection a client port an earlier one used, so an event counts only from here on.
     */
    private Instant testStarted;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        this.broker = broker;
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        trust = ClientSide.trusting(dev.caCertificate());
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("server.publicUrl", "https://localhost:8443");
        values.put("node.name", "closes-" + provider());
        values.put("tls.devCertificateDir", certificates.toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        values.put("tls.provider", provider());
        validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        // The first handshake of a JVM is slow (JSSE initialises): not part of any measurement below.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            try (RawTlsClient warm = RawTlsClient.handshake(trust, validator.port(), "TLSv1.3")) {
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
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void closesAreRegisteredForEveryReasonAtStart() {
        String scrape = validator.meters().scrape();
        for (String reason : List.of("close_notify", "fatal_alert", "client_hello_alert")) {
            assertThat(scrape).contains("tlswatch_tls_closes_total{provider=\"" + provider() + "\",reason=\""
                    + reason + "\",service=\"validator\"}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aRecordWithOneByteFlippedGetsBadRecordMacAndTheConnectionClosedAtOnce(String protocol) throws Exception {
        // given an established connection
        ScrapedSeries before = scrape();
        try (RawTlsClient client = RawTlsClient.handshake(trust, validator.port(), protocol)) {
            byte[] record = client.applicationRecord(REQUEST);
            // one byte of the ciphertext's authentication tag (the record's last byte) flipped
            record[record.length - 1] ^= 0x01;

            // when it sends the corrupted record
            client.send(record);
            Ending ending = client.readUntilClosed();

            // then the server says bad_record_mac and closes at once
            assertThat(ending.alert()).isEqualTo("bad_record_mac");
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            // and the connection counts as one successful handshake, closed for a fatal alert, its slot freed
            assertOneEvent(client.localPort(), HandshakeOutcome.SUCCESS, null);
            assertClosedAndFreed(before, "fatal_alert");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void closeNotifyIsAnsweredAndTheConnectionClosedAtOnce(String protocol) throws Exception {
        // given an established connection
        ScrapedSeries before = scrape();
        try (RawTlsClient client = RawTlsClient.handshake(trust, validator.port(), protocol)) {

            // when the client sends close_notify and keeps its socket open
            client.sendCloseNotify();
            Ending ending = client.readUntilClosed();

            // then the server answers with its own close_notify and closes at once
            assertThat(ending.alert()).isEqualTo("close_notify");
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            assertOneEvent(client.localPort(), HandshakeOutcome.SUCCESS, null);
            assertClosedAndFreed(before, "close_notify");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aHeartbeatRecordGetsAFatalAlertAndTheConnectionClosedAtOnce(String protocol) throws Exception {
        // given an established connection
        ScrapedSeries before = scrape();
        try (RawTlsClient client = RawTlsClient.handshake(trust, validator.port(), protocol)) {

            // when the client sends a heartbeat request, a record type the server does not speak
            client.send(RawTlsClient.HEARTBEAT_REQUEST);
            Ending ending = client.readUntilClosed();

            // then the server sends a fatal alert and closes at once. Both libraries read the record as
            // ciphertext and fail its authentication before looking at its type: bad_record_mac
            assertThat(ending.alert()).isEqualTo("bad_record_mac");
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            assertOneEvent(client.localPort(), HandshakeOutcome.SUCCESS, null);
            assertClosedAndFreed(before, "fatal_alert");
        }
    }

    @Test
    void aRenegotiationIsRefusedWithAFatalAlertAndTheConnectionClosedAtOnce() throws Exception {
        // given an established TLS 1.2 connection (TLS 1.3 has no renegotiation)
        ScrapedSeries before = scrape();
        try (RawTlsClient client = RawTlsClient.handshake(trust, validator.port(), "TLSv1.2")) {

            // when the client asks to renegotiate
            client.sendRenegotiation();
            Ending ending = client.readUntilClosed();

            // then the TLS library refuses with its fatal alert and the connection is closed at once
            assertThat(ending.alert()).isEqualTo(renegotiationAlert());
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            assertOneEvent(client.localPort(), HandshakeOutcome.SUCCESS, null);
            assertClosedAndFreed(before, "fatal_alert");
        }
    }

    /** The alert each TLS library refuses a renegotiation with (its choice: docs/tls.md). */
    String renegotiationAlert() {
        return "no_renegotiation";
    }

    @Test
    void aClientHelloOf70KibIsRefusedByTheTlsLibraryWithItsAlertAndClosedAtOnce() throws Exception {
        // given a real ClientHello grown to 70 KiB (many suites and a padding extension), in 16 KiB records
        ScrapedSeries before = scrape();
        byte[] hello = RawTlsClient.grownClientHello(RawTlsClient.clientHelloRecords(trust, "TLSv1.3"), 70 * 1024);
        try (Socket socket = RawTlsClient.connect(validator.port())) {

            // when it is sent
            socket.getOutputStream().write(hello);
            Ending ending = RawTlsClient.readPlainUntilClosed(socket);

            // then the TLS library refuses it with its alert, at once
            assertThat(ending.alert()).isEqualTo(oversizedHelloAlert());
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            HandshakeEvent event = assertOneEvent(socket.getLocalPort(), HandshakeOutcome.FAILURE, FailureReason.OTHER);
            assertThat(event.failureMessage()).contains("ClientHello of 71680 bytes");
            awaitFreed();
        }
    }

    /** The alert each TLS library sends for a ClientHello above its limit (its choice: docs/tls.md). */
    String oversizedHelloAlert() {
        return "illegal_parameter";
    }

    @Test
    void aZeroLengthApplicationDataRecordBetweenClientHelloFragmentsGetsUnexpectedMessage() throws Exception {
        // given a real ClientHello cut into two handshake records with an empty application_data record between
        ScrapedSeries before = scrape();
        byte[] records = RawTlsClient.clientHelloRecords(trust, "TLSv1.3");
        byte[] body = java.util.Arrays.copyOfRange(records, 5, records.length);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        sent.writeBytes(RawTlsClient.record(22, java.util.Arrays.copyOfRange(body, 0, 100)));
        sent.writeBytes(RawTlsClient.EMPTY_APPLICATION_DATA);
        sent.writeBytes(RawTlsClient.record(22, java.util.Arrays.copyOfRange(body, 100, body.length)));
        try (Socket socket = RawTlsClient.connect(validator.port())) {

            // when it is sent
            socket.getOutputStream().write(sent.toByteArray());
            Ending ending = RawTlsClient.readPlainUntilClosed(socket);

            // then the pre-parser answers unexpected_message (RFC 8446 §5) and closes at once
            assertThat(ending.alert()).isEqualTo("unexpected_message");
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            HandshakeEvent event = assertOneEvent(socket.getLocalPort(), HandshakeOutcome.FAILURE,
                    FailureReason.OTHER);
            assertThat(event.failureMessage()).contains("unexpected_message");
            assertClosedAndFreed(before, "client_hello_alert");
        }
    }

    @Test
    void aMalformedSignatureAlgorithmsExtensionGetsDecodeErrorAndTheEventSaysSo() throws Exception {
        // given a real ClientHello whose signature_algorithms list announces more than its extension holds
        byte[] original = RawTlsClient.clientHelloRecords(trust, "TLSv1.3");
        byte[] hello = RawTlsClient.malformedSignatureAlgorithms(original);
        try (Socket socket = RawTlsClient.connect(validator.port())) {

            // when it is sent
            socket.getOutputStream().write(hello);
            Ending ending = RawTlsClient.readPlainUntilClosed(socket);

            // then the TLS library answers with its alert (BoringSSL: decode_error) and closes at once
            HandshakeEvent event = oneEvent(socket.getLocalPort());
            assertThat(ending.alert()).as("alert; the event: %s", event).isEqualTo(malformedExtensionAlert());
            assertThat(ending.untilClosed()).isLessThan(AT_ONCE);
            // and the event is a failure that names the alert the client was told (not closed_by_client)
            assertThat(event.outcome()).isEqualTo(HandshakeOutcome.FAILURE);
            assertThat(event.failureReason()).isEqualTo(FailureReason.OTHER);
            if (malformedExtensionAlert() != null) {
                assertThat(event.failureMessage()).endsWith("(server sent " + malformedExtensionAlert() + ")");
            }
            // and it carries the hello as far as it was read: all before signature_algorithms, marked partial
            assertCarriesTheHelloUpToSignatureAlgorithms(event, original);
            awaitFreed();
        }
    }

    private static void assertCarriesTheHelloUpToSignatureAlgorithms(HandshakeEvent event, byte[] original) {
        ClientHelloSummary whole = ClientHelloSummaries.of(new ClientHelloParser().parseRecords(original).hello()
                .orElseThrow());
        List<Integer> before = whole.extensions().subList(0, whole.extensions().indexOf(13));
        ClientHelloSummary partial = event.clientHello();
        assertThat(partial).as("the event's clientHello").isNotNull();
        assertThat(partial.partial()).isTrue();
        assertThat(partial.failedExtension()).isEqualTo("signature_algorithms");
        assertThat(partial.legacyVersion()).isEqualTo("TLSv1.2");
        assertThat(partial.cipherSuites()).isEqualTo(whole.cipherSuites()).contains("TLS_AES_128_GCM_SHA256");
        assertThat(partial.extensions()).isEqualTo(before).isNotEmpty();
        assertThat(partial.supportedGroups()).isEqualTo(whole.supportedGroups()).isNotEmpty();
        assertThat(partial.sni()).isEqualTo(whole.sni());
        assertThat(partial.signatureAlgorithms()).isEmpty();
        // the JDK sends supported_versions after signature_algorithms: its offer is unknown, not understated
        assertThat(partial.supportedVersions()).isEqualTo(before.contains(43) ? whole.supportedVersions() : List.of());
        assertThat(partial.highestOfferedVersion()).isEqualTo(before.contains(43) ? "TLSv1.3" : null);
        assertThat(partial.ja4()).isNull();
        assertThat(partial.ja3()).isNull();
    }

    /**
     * The alert each TLS library sends for a malformed signature_algorithms extension; null for none (its
     * choice: docs/tls.md).
     */
    String malformedExtensionAlert() {
        return "decode_error";
    }

    @BeforeEach
    void markTheStart() {
        testStarted = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    // --- what the server reports ---

    private ScrapedSeries scrape() {
        return ScrapedSeries.of(validator.meters().scrape());
    }

    private void assertClosedAndFreed(ScrapedSeries before, String reason) {
        assertThat(scrape().movedSince(before, "tlswatch_tls_closes_total{", "reason=\"" + reason + "\""))
                .as("closes for %s", reason).isEqualTo(1);
        awaitFreed();
    }

    /** The connection's slot is free again: no connection open on the listener. */
    private void awaitFreed() {
        await().atMost(AT_ONCE).untilAsserted(() -> assertThat(validator.meters().scrape())
                .contains("tlswatch_connections_active{listener=\"validator\",service=\"validator\"} 0.0"));
    }

    /** Exactly one handshake event for the connection from {@code clientPort}, with this outcome and reason. */
    private HandshakeEvent assertOneEvent(int clientPort, HandshakeOutcome outcome, FailureReason reason) {
        HandshakeEvent event = oneEvent(clientPort);
        assertThat(event.outcome()).isEqualTo(outcome);
        assertThat(event.failureReason()).isEqualTo(reason);
        return event;
    }

    /** The one handshake event of the connection from {@code clientPort}, after a second without another. */
    private HandshakeEvent oneEvent(int clientPort) {
        List<HandshakeEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("validator-closes-it")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.HANDSHAKES.name()));
            await().atMost(Duration.ofSeconds(20)).until(() -> poll(consumer, clientPort, found) >= 1);
            // and no second one follows
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(poll(consumer, clientPort, found))
                            .as("events of client port %d: %s", clientPort, found).isEqualTo(1));
        }
        return found.get(0);
    }

    private int poll(KafkaConsumer<String, byte[]> consumer, int clientPort, List<HandshakeEvent> found)
            throws java.io.IOException {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            HandshakeEvent event = Json.reader().readValue(record.value(), HandshakeEvent.class);
            if (event.remotePort() == clientPort && event.localPort() == validator.port()
                    && !event.time().isBefore(testStarted)) {
                found.add(event);
            }
        }
        return found.size();
    }
}
