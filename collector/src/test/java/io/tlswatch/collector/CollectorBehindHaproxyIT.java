package io.tlswatch.collector;

import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.tlsserver.testing.Haproxy;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The collector's two listeners behind a real HAProxy in TCP mode ({@code send-proxy-v2} in front of HTTP,
 * {@code send-proxy} in front of HTTPS), with curl at addresses of its own: reports carry the client's address and
 * the proxy's as {@code via}, and the per-address rate limit counts the client, not the proxy. Skipped only where
 * HAProxy is not installed.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorBehindHaproxyIT {

    private static final String PROXY = "127.0.16.3";

    private Collector collector;
    private Haproxy haproxy;
    private KafkaSettings kafka;
    private DevCertificateFiles dev;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path dir) throws Exception {
        assumeThat(Haproxy.installed()).as("%s is installed (apt-get install haproxy)", Haproxy.BINARY).isTrue();
        kafka = broker.settings();
        dev = new DevCertificates(dir.resolve("certificates"), List.of(), Clock.systemUTC()).ensure();
        Map<String, String> values = new HashMap<>();
        values.put("http.port", "0");
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("tls.devCertificateDir", dir.resolve("certificates").toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        values.put("server.proxyProtocol", "required");
        values.put("server.trustedProxies", PROXY);
        // One request per address at once, so that a limit counted under the proxy would refuse the second client.
        values.put("limits.perAddress.perSecond", "0.01");
        values.put("limits.perAddress.burst", "1");
        collector = Collector.start(CollectorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        haproxy = Haproxy.start(dir, PROXY, List.of(
                new Haproxy.Route("http", "127.0.0.1", collector.httpPort(), Haproxy.Header.V2),
                new Haproxy.Route("https", "127.0.0.1", collector.httpsPort(), Haproxy.Header.V1)));
    }

    @AfterAll
    void stop() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void aReportOverHttpThroughTheProxyCarriesTheClientsAddressAndTheProxyAsVia() throws Exception {
        // given curl at its own address, in front of HAProxy's v2 frontend of the HTTP listener
        String client = "127.0.16.2";
        String reportId = ReportJson.newId();

        // when it posts a report through the proxy
        Result curl = postReport(client, "http://127.0.0.1:" + haproxy.port("http"), reportId);

        // then it is accepted, and the report is the client's, via the proxy
        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.output()).endsWith("status=202");
        ClientReportEvent event = ReportTopic.one(kafka, e -> reportId.equals(e.reportId()));
        assertThat(event.remoteAddress()).isEqualTo(client);
        assertThat(event.via()).isEqualTo(PROXY);
        assertThat(event.arrival().listener()).isEqualTo("http");
    }

    @Test
    void aReportOverHttpsThroughTheV1HeaderHasItsHandshakeRecordedAsTheClients() throws Exception {
        String client = "127.0.16.5";
        Instant started = Instant.now().minusSeconds(1);
        String reportId = ReportJson.newId();

        Result curl = postReport(client, "https://localhost:" + haproxy.port("https"), reportId,
                "--cacert", dev.caCertificate().toString(),
                "--resolve", "localhost:" + haproxy.port("https") + ":127.0.0.1");

        assertThat(curl.exitCode()).as(curl.output()).isZero();
        assertThat(curl.output()).endsWith("status=202");
        ClientReportEvent report = ReportTopic.one(kafka, e -> reportId.equals(e.reportId()));
        assertThat(report.remoteAddress()).isEqualTo(client);
        assertThat(report.via()).isEqualTo(PROXY);
        assertThat(report.arrival().listener()).isEqualTo("https");
        HandshakeEvent handshake = ReportTopic.handshake(kafka, e -> client.equals(e.remoteAddress())
                && HandshakeEvent.LISTENER_COLLECTOR.equals(e.listener()) && !e.time().isBefore(started));
        assertThat(handshake.succeeded()).isTrue();
        assertThat(handshake.via()).isEqualTo(PROXY);
    }

    @Test
    void thePerAddressRateLimitCountsEachClientBehindTheProxy() throws Exception {
        // given two clients behind the one proxy, and a limit of one request per address
        String first = "127.0.16.6";
        String second = "127.0.16.7";
        String url = "http://127.0.0.1:" + haproxy.port("http");

        // when the first sends twice and the second once
        Result firstOnce = postReport(first, url, ReportJson.newId());
        Result firstAgain = postReport(first, url, ReportJson.newId());
        Result secondOnce = postReport(second, url, ReportJson.newId());

        // then only the first client's repeat is limited
        assertThat(firstOnce.output()).endsWith("status=202");
        assertThat(firstAgain.output()).endsWith("status=429");
        assertThat(secondOnce.output()).as("not limited by the proxy's address").endsWith("status=202");
    }

    private Result postReport(String client, String base, String reportId, String... extra)
            throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
                "--interface", client, "-o", "/dev/null", "-w", "status=%{http_code}",
                "-H", "Content-Type: application/json",
                "--data", ReportJson.report(reportId, "inst-" + UUID.randomUUID())));
        command.addAll(List.of(extra));
        command.add(base + "/v1/reports");
        return run(command);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(ended).as("curl ended within 30 s: %s", output).isTrue();
        return new Result(process.exitValue(), output);
    }
}
