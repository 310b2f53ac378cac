package io.tlswatch.validator;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.testing.LoopbackAbusers;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The validator's limits as a misbehaving client meets them, over real sockets: slow request heads, too many
 * connections from one address, silent connections, oversized heads, and a shutdown with events still on their
 * way to Kafka. Nothing sleeps; every wait is bounded.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidatorLimitsIT {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(300);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);
    /** How late a timer may fire on a busy machine and still count as on time. */
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final String PUBLISHED_CHECKS = "tlswatch_events_published_total{service=\"validator\",topic=\""
            + Topics.LICENSE_CHECKS.name() + "\"}";
    private static final String JWKS = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    private KafkaBroker broker;
    private Path certificates;
    private SSLContext trust;
    /** Short handshake and request timeouts. */
    private Validator strict;
    /** At most three connections per remote address. */
    private Validator limited;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        this.broker = broker;
        this.certificates = certificates;
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        trust = ClientSide.trusting(dev.caCertificate());
        strict = start("limits-strict", Map.of(
                "server.handshakeTimeout", HANDSHAKE_TIMEOUT.toMillis() + "ms",
                "server.requestTimeout", REQUEST_TIMEOUT.toMillis() + "ms"));
        limited = start("limits-per-address", Map.of("server.maxConnectionsPerAddress", "3"));
        // The first handshake of a JVM is slow (JSSE initialises); it must not meet the 300 ms timeout by chance.
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> exchange(strict, JWKS).startsWith("HTTP/1.1 200"));
    }

    @AfterAll
    void stop() {
        for (Validator validator : new Validator[]{strict, limited}) {
            if (validator != null) {
                validator.close();
            }
        }
    }

    private Validator start(String node, Map<String, String> settings) {
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("server.publicUrl", "https://localhost:8443");
        values.put("node.name", node);
        values.put("tls.devCertificateDir", certificates.toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        values.putAll(settings);
        return Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
    }

    @Test
    void aSlowlorisClientGets408AndIsClosedWhenTheRequestTimeoutRunsOut() throws Exception {
        // given a client that completes the handshake, then sends part of a request head and nothing more
        double timeoutsBefore = metric(strict, "tlswatch_http_timeouts_total{listener=\"validator\",service=\"validator\"}");
        long started = System.nanoTime();
        try (SSLSocket socket = tls(strict)) {
            write(socket, "POST /v1/licenses/validate HTTP/1.1\r\nHost: localhost\r\nContent-Ty");

            // when it waits
            String response = readUntilClosed(socket);
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            // then it gets a JSON 408 and the connection is closed, once the request timeout has run out
            assertThat(response).startsWith("HTTP/1.1 408 Request Timeout")
                    .contains("content-type: application/json")
                    .contains("{\"error\":{\"code\":\"request_timeout\",\"message\":\"the request did not arrive within 500 ms\"}}");
            assertThat(took).isGreaterThanOrEqualTo(REQUEST_TIMEOUT).isLessThan(REQUEST_TIMEOUT.plus(SLACK));
        }
        // and the timeout is counted
        assertThat(metric(strict, "tlswatch_http_timeouts_total{listener=\"validator\",service=\"validator\"}"))
                .isEqualTo(timeoutsBefore + 1);
    }

    @Test
    void aConnectionThatSendsNothingIsRecordedAsAHandshakeTimeout() throws Exception {
        // given a TCP connection to the TLS port that never sends a ClientHello
        int clientPort;
        long started = System.nanoTime();
        try (Socket socket = tcp(strict)) {
            clientPort = socket.getLocalPort();

            // when it waits, the server hangs up once the handshake timeout has run out
            readUntilClosed(socket);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT)
                    .isLessThan(HANDSHAKE_TIMEOUT.plus(SLACK));
        }

        // then one handshake event says so, for exactly this connection
        HandshakeEvent event = awaitEvent(Topics.HANDSHAKES.name(), HandshakeEvent.class,
                e -> e.remotePort() == clientPort && e.localPort() == strict.port());
        assertThat(event.outcome()).isEqualTo(HandshakeOutcome.FAILURE);
        assertThat(event.failureReason()).isEqualTo(FailureReason.HANDSHAKE_TIMEOUT);
        assertThat(event.clientHello()).as("nothing was offered").isNull();
        assertThat(event.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(event.durationMillis()).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.toMillis() * 0.9);
        assertThat(metric(strict, "tlswatch_handshakes_total{outcome=\"failure\",protocol=\"none\",provider=\""
                + provider(strict) + "\",reason=\"handshake_timeout\",service=\"validator\"}")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRequestHeadAboveTheLimitGets431AndTheConnectionIsClosed() throws Exception {
        // given a request whose head is larger than server.maxHeaderBytes (8 KiB by default)
        double before = metric(strict, "tlswatch_http_rejected_total{reason=\"head_too_large\",service=\"validator\"}");
        String request = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "a".repeat(9_000)
                + "\r\n\r\n";

        // when
        String response;
        try (SSLSocket socket = tls(strict)) {
            write(socket, request);
            response = readUntilClosed(socket);
        }

        // then
        assertThat(response).startsWith("HTTP/1.1 431 Request Header Fields Too Large")
                .contains("connection: close")
                .contains("\"code\":\"head_too_large\"");
        assertThat(metric(strict, "tlswatch_http_rejected_total{reason=\"head_too_large\",service=\"validator\"}"))
                .isEqualTo(before + 1);
    }

    @Test
    void aBodyAboveTheLimitGets413() throws Exception {
        // given a request announcing a body larger than server.maxBodyBytes (64 KiB by default)
        String request = "POST /v1/licenses/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 70000\r\nConnection: close\r\n\r\n";

        // when
        String response;
        try (SSLSocket socket = tls(strict)) {
            write(socket, request);
            response = readUntilClosed(socket);
        }

        // then it is refused before the body is read, with a JSON body saying why, and counted
        assertThat(response).startsWith("HTTP/1.1 413 Request Entity Too Large");
        assertThat(response).contains("\"code\":\"body_too_large\"").contains("65536 bytes");
        assertThat(metric(strict, "tlswatch_http_rejected_total{reason=\"body_too_large\",service=\"validator\"}")).isEqualTo(1.0);
    }

    @Test
    void aFourthConnectionFromOneAddressIsClosedAtOnceAndCounted() throws Exception {
        // given three connections from 127.0.0.1 that the server has taken in
        double refusedBefore = metric(limited,
                "tlswatch_connections_refused_total{limit=\"per_address\",listener=\"validator\",service=\"validator\"}");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(tcp(limited));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> activeConnections(limited) == 3);

            // when a fourth arrives
            long started = System.nanoTime();
            try (Socket fourth = tcp(limited)) {
                readUntilClosed(fourth);

                // then it is closed at once, without waiting for any timeout
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SLACK);
            }
            assertThat(metric(limited, "tlswatch_connections_refused_total{limit=\"per_address\",listener=\"validator\","
                    + "service=\"validator\"}")).isEqualTo(refusedBefore + 1);
            // and the three are still open
            assertThat(activeConnections(limited)).isEqualTo(3);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }

        // when the others have gone, a well-behaved client gets its answer again
        await().atMost(Duration.ofSeconds(5)).until(() -> activeConnections(limited) == 0);
        assertThat(exchange(limited, JWKS)).startsWith("HTTP/1.1 200 OK").contains("\"keys\"");
    }

    @Test
    void closeStopsAcceptingFlushesTheAcceptedEventsAndReturnsWithinTheGrace() throws Exception {
        // given a validator whose producer lingers 5 s over a batch, so that checks are likely still held in
        // the publisher or the producer when close starts
        Validator validator = start("limits-shutdown", Map.of("shutdown.grace", SHUTDOWN_GRACE.toSeconds() + "s",
                "kafka.linger.ms", "5000"));
        try {
            int port = validator.port();
            String prefix = "shutdown-" + UUID.randomUUID();
            int checks = 20;
            for (int i = 0; i < checks; i++) {
                assertThat(exchange(validator, validate(prefix + "-" + i))).startsWith("HTTP/1.1 200 OK");
            }
            // and an idle keep-alive connection
            SSLSocket idle = tls(validator);
            double deliveredBefore = metric(validator, PUBLISHED_CHECKS);

            // when close starts
            CompletableFuture<Duration> closing = CompletableFuture.supplyAsync(() -> {
                long started = System.nanoTime();
                validator.close();
                return Duration.ofNanos(System.nanoTime() - started);
            });

            // then the port stops accepting
            await().atMost(SHUTDOWN_GRACE).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class));
            // and the idle connection is closed rather than waited for
            try (idle) {
                readUntilClosed(idle);
            }
            // and close returns within the grace
            assertThat(closing.get(SHUTDOWN_GRACE.plus(SLACK).toMillis(), TimeUnit.MILLISECONDS))
                    .isLessThanOrEqualTo(SHUTDOWN_GRACE);
            // and every check accepted before is in Kafka, none dropped
            assertThat(metric(validator, PUBLISHED_CHECKS)).as("acknowledged by Kafka; %s were before close", deliveredBefore)
                    .isEqualTo(checks);
            assertThat(validator.meters().find("tlswatch.events.dropped").counters()).isNotEmpty()
                    .allMatch(dropped -> dropped.count() == 0);
            List<LicenseCheckEvent> delivered = awaitEvents(Topics.LICENSE_CHECKS.name(), LicenseCheckEvent.class,
                    e -> e.clientId().startsWith(prefix), checks);
            assertThat(delivered).hasSize(checks);
        } finally {
            validator.close();
        }
    }

    // --- clients ---

    private SSLSocket tls(Validator validator) throws IOException {
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", validator.port()), 2_000);
        socket.setSoTimeout(5_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("localhost")));
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static Socket tcp(Validator validator) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", validator.port()), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private String exchange(Validator validator, String request) throws IOException {
        try (SSLSocket socket = tls(validator)) {
            write(socket, request);
            return readUntilClosed(socket);
        }
    }

    private static String validate(String clientId) {
        String body = "{\"licenseKey\": \"TLSW-unknown\", \"clientId\": \"" + clientId + "\"}";
        return "POST /v1/licenses/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Everything the server sends until it closes; a read timeout (it did not close) fails the test. */
    private static String readUntilClosed(Socket socket) throws IOException {
        return LoopbackAbusers.readUntilClosed(socket);
    }

    // --- what the server reports ---

    /** A sample's value in the Prometheus text, as the admin port serves it; 0 when the series is absent. */
    private static double metric(Validator validator, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(validator.meters().scrape());
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static double activeConnections(Validator validator) {
        return metric(validator, "tlswatch_connections_active{listener=\"validator\",service=\"validator\"}");
    }

    private static String provider(Validator validator) {
        return validator.tls().provider().name().toLowerCase(java.util.Locale.ROOT);
    }

    private <T> T awaitEvent(String topic, Class<T> type, Predicate<T> match) {
        return awaitEvents(topic, type, match, 1).get(0);
    }

    private <T> List<T> awaitEvents(String topic, Class<T> type, Predicate<T> match, int count) {
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("validator-limits-it")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    T event = Json.reader().readValue(record.value(), type);
                    if (match.test(event)) {
                        found.add(event);
                    }
                }
                return found.size() >= count;
            });
        }
        return found;
    }
}
