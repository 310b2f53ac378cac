package io.tlswatch.client.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.client.identity.InstallationStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReporterTest {

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path state;

    @Test
    void submittingNeverWaitsForACollectorThatHangsAndExcessIsDroppedAndCounted() throws Exception {
        // given a "collector" that accepts connections and never answers, and a queue of 10
        try (TlsTestServer hanging = TlsTestServer.silent();
             Reporter reporter = reporter(URI.create("http://127.0.0.1:" + hanging.port()), null,
                     new Reporter.Settings(10, 100, Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            FailureReport first = report();

            // when the application reports 50 failures
            long start = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                reporter.submit(i == 0 ? first : report());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // then it was not held up, and what did not fit is counted, not thrown
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(reporter.stats().snapshot().made()).isEqualTo(50);
            assertThat(reporter.stats().snapshot().dropped()).isBetween(39L, 40L);
        }
    }

    @Test
    void withNoCollectorReachableTheReportIsSpooledAndKeptForTheNextRun() throws Exception {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = socket.getLocalPort();
        }
        FailureReport report = report();
        try (Reporter reporter = reporter(URI.create("https://127.0.0.1:" + nobody),
                URI.create("http://127.0.0.1:" + nobody), Reporter.Settings.defaults())) {
            reporter.submit(report);

            await().atMost(Duration.ofSeconds(10)).until(() -> reporter.stats().snapshot().spooled() == 1);
        }

        ReportSpool spool = new ReportSpool(state.resolve("spool"), json, 10);
        assertThat(spool.oldest(10)).extracting(s -> s.report().reportId()).containsExactly(report.reportId());
    }

    private Reporter reporter(URI https, URI http, Reporter.Settings settings) throws Exception {
        HttpTransport transport = new HttpTransport(ClientTls.create(null, List.of(), List.of()),
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        ReportDelivery delivery = new ReportDelivery(transport, https, http,
                new ReportSigner(new InstallationStore(state, json).loadOrCreate()));
        return new Reporter(delivery, new ReportSpool(state.resolve("spool"), json, 100), json, Clock.systemUTC(),
                settings);
    }

    private FailureReport report() throws Exception {
        return FailureReport.of(json, "inst-1", null, Instant.now(), "https://licenses.example.com/v1/licenses/validate",
                new Classification(ErrorClass.CERT_DATE_INVALID, true, "certificate expired"),
                ClientTls.create(null, List.of(), List.of()), null);
    }
}
