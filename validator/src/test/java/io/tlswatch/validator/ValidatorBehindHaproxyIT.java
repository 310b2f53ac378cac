package io.tlswatch.validator;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.tlsserver.testing.Haproxy;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.testing.ScrapedSeries;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The validator behind a real HAProxy in TCP mode, as it is deployed: {@code server.proxyProtocol=required},
 * HAProxy trusted at its own loopback address, and independent TLS clients (curl, Python's ssl) each at an address
 * of its own. Skipped only where HAProxy is not installed; {@code ProxyHeaderGateTest} covers the same decisions
 * without it.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidatorBehindHaproxyIT {

    private static final String PROXY = "127.0.15.3";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private KafkaBroker broker;
    private Validator validator;
    private Haproxy haproxy;
    private DevCertificateFiles dev;
    private String licenseKey;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path dir) throws Exception {
        assumeThat(Haproxy.installed()).as("%s is installed (apt-get install haproxy)", Haproxy.BINARY).isTrue();
        this.broker = broker;
        dev = new DevCertificates(dir.resolve("certificates"), List.of(), Clock.systemUTC()).ensure();
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("server.publicUrl", "https://localhost:8443");
        values.put("tls.devCertificateDir", dir.resolve("certificates").toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        values.put("server.proxyProtocol", "required");
        values.put("server.trustedProxies", PROXY);
        validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        try (LicenseAdmin admin = new LicenseAdmin(broker.settings(), Topics.LICENSES, Clock.systemUTC(), "test")) {
            IssuedLicense issued = admin.issue("Acme", "standard", List.of(), 5, Instant.now().minusSeconds(60),
                    Instant.now().plus(Duration.ofDays(30)), Duration.ofHours(72));
            licenseKey = issued.licenseKey();
            String licenseId = issued.license().licenseId();
            await().atMost(WAIT).until(() -> validator.registry().byLicenseId(licenseId).isPresent());
        }
        haproxy = Haproxy.start(dir, PROXY, List.of(
                new Haproxy.Route("v2", "127.0.0.1", validator.port(), Haproxy.Header.V2),
                new Haproxy.Route("v1", "127.0.0.1", validator.port(), Haproxy.Header.V1)));
    }

    @AfterAll
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void aClientThroughSendProxyV2ValidatesAndItsEventsCarryItsOwnAddressWithTheProxyAsVia() throws Exception {
        // given curl at its own address, in front of HAProxy's v2 frontend
        String client = "127.0.15.2";
        Instant started = Instant.now().minusSeconds(1);
        String clientId = "inst-" + UUID.randomUUID();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ScrapedSeries before = ScrapedSeries.of(scrape());

        // when it validates its license through the proxy
        Result curl = run("curl", "-sS", "--max-time", "20", "--interface", client,
                "--cacert", dev.caCertificate().toString(),
                "--resolve", "localhost:" + haproxy.port("v2") + ":127.0.0.1",
                "-H", "Content-Type: application/json",
                "-H", "DPoP: " + ClientSide.dpopProof(key, "https://localhost:8443/v1/licenses/validate"),
                "--data", "{\"licenseKey\": \"" + licenseKey + "\", \"clientId\": \"" + clientId + "\"}",
                "-w", "\nstatus=%{http_code}",
                "https://localhost:" + haproxy.port("v2") + "/v1/licenses/validate");

        // then the handshake went through the proxy and the license is valid
        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.output()).contains("\"valid\":true").endsWith("status=200");
        // and the license check and the handshake are the client's, via the proxy
        LicenseCheckEvent check = awaitEvent(Topics.LICENSE_CHECKS.name(), LicenseCheckEvent.class,
                e -> clientId.equals(e.clientId()));
        assertThat(check.code()).isEqualTo(LicenseCheckCode.VALID);
        assertThat(check.remoteAddress()).isEqualTo(client);
        assertThat(check.via()).isEqualTo(PROXY);
        HandshakeEvent handshake = awaitEvent(Topics.HANDSHAKES.name(), HandshakeEvent.class,
                e -> client.equals(e.remoteAddress()) && !e.time().isBefore(started));
        assertThat(handshake.succeeded()).isTrue();
        assertThat(handshake.via()).isEqualTo(PROXY);
        assertThat(handshake.clientHello().sni()).isEqualTo("localhost");
        assertThat(handshake.negotiated().protocol()).isEqualTo(check.tlsProtocol());
        assertThat(ScrapedSeries.of(scrape()).movedSince(before, "tlswatch_proxy_headers_total{",
                "listener=\"validator\"", "outcome=\"accepted\"")).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aClientThroughTheV1TextHeaderHandshakesAndIsRecordedByItsOwnAddress() throws Exception {
        // given Python's ssl at its own address, in front of HAProxy's send-proxy (v1) frontend
        String client = "127.0.15.5";
        Instant started = Instant.now().minusSeconds(1);

        // when it fetches the signing keys through the proxy
        Result python = run("python3", "-c", """
                import socket, ssl, sys
                context = ssl.create_default_context(cafile=sys.argv[1])
                raw = socket.create_connection(("127.0.0.1", int(sys.argv[2])), timeout=20, source_address=(sys.argv[3], 0))
                with context.wrap_socket(raw, server_hostname="localhost") as tls:
                    print(tls.version())
                    tls.sendall(b"GET /.well-known/jwks.json HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n")
                    print(tls.recv(64).decode("ascii", "replace").splitlines()[0])
                """, dev.caCertificate().toString(), String.valueOf(haproxy.port("v1")), client);

        // then the handshake succeeded through the proxy and the event is the client's, via the proxy
        assertThat(python.exitCode()).as(python.output()).isZero();
        assertThat(python.output()).contains("TLSv1.3").contains("HTTP/1.1 200");
        HandshakeEvent handshake = awaitEvent(Topics.HANDSHAKES.name(), HandshakeEvent.class,
                e -> client.equals(e.remoteAddress()) && !e.time().isBefore(started));
        assertThat(handshake.succeeded()).isTrue();
        assertThat(handshake.via()).isEqualTo(PROXY);
    }

    @Test
    void aProxyHeaderFromAnUntrustedAddressIsRefusedAndCountedWithoutAHandshakeEvent() throws Exception {
        // given curl at an address that is no trusted proxy, sending its own PROXY header (a spoofing attempt)
        ScrapedSeries before = ScrapedSeries.of(scrape());

        // when it connects to the validator directly
        Result curl = run("curl", "-sS", "--max-time", "20", "--haproxy-protocol", "--interface", "127.0.15.4",
                "--cacert", dev.caCertificate().toString(),
                "--resolve", "localhost:" + validator.port() + ":127.0.0.1",
                "https://localhost:" + validator.port() + "/.well-known/jwks.json");

        // then the connection is closed before TLS, counted as untrusted, and no handshake is recorded for it
        assertThat(curl.exitCode()).as(curl.output()).isNotZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ScrapedSeries.of(scrape()).movedSince(before,
                "tlswatch_proxy_headers_total{", "listener=\"validator\"", "outcome=\"untrusted\"")).isEqualTo(1.0));
        assertThat(ScrapedSeries.of(scrape()).movedSince(before, "tlswatch_handshakes_total{")).isZero();
    }

    @Test
    void aDirectClientWithoutAHeaderIsRefusedAndCountedAsMissing() throws Exception {
        ScrapedSeries before = ScrapedSeries.of(scrape());

        Result curl = run("curl", "-sS", "--max-time", "20", "--interface", "127.0.15.6",
                "--cacert", dev.caCertificate().toString(),
                "--resolve", "localhost:" + validator.port() + ":127.0.0.1",
                "https://localhost:" + validator.port() + "/.well-known/jwks.json");

        assertThat(curl.exitCode()).as(curl.output()).isNotZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ScrapedSeries.of(scrape()).movedSince(before,
                "tlswatch_proxy_headers_total{", "listener=\"validator\"", "outcome=\"missing\"")).isEqualTo(1.0));
        assertThat(ScrapedSeries.of(scrape()).movedSince(before, "tlswatch_handshakes_total{")).isZero();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(ended).as("%s ended within 30 s: %s", command[0], output).isTrue();
        return new Result(process.exitValue(), output);
    }

    private String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + validator.adminPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private <T> T awaitEvent(String topic, Class<T> type, Predicate<T> match) {
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.settings().consumer(KafkaBroker.uniqueGroupId("validator-haproxy-it")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    T event = Json.reader().readValue(r.value(), type);
                    if (match.test(event)) {
                        found.add(event);
                    }
                }
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }
}
