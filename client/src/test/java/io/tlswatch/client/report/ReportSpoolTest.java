package io.tlswatch.client.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.client.http.ClientTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ReportSpoolTest {

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void keepsReportsOwnerOnlyAndGivesTheOldestFirst() throws Exception {
        ReportSpool spool = new ReportSpool(directory, json, 10);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            FailureReport report = report();
            ids.add(report.reportId());
            spool.add(report);
        }

        List<ReportSpool.Spooled> batch = spool.oldest(3);

        assertThat(batch).extracting(s -> s.report().reportId()).containsExactlyElementsOf(ids.subList(0, 3));
        try (var files = Files.list(directory)) {
            assertThat(files.map(f -> {
                try {
                    return PosixFilePermissions.toString(Files.getPosixFilePermissions(f));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.toSet())).containsExactly("rw-------");
        }
    }

    @Test
    void aReportKeepsItsIdThroughTheSpoolAndASpoolReopenedLater() throws Exception {
        FailureReport report = report();
        new ReportSpool(directory, json, 10).add(report);

        ReportSpool reopened = new ReportSpool(directory, json, 10);
        FailureReport back = reopened.oldest(10).get(0).report();

        assertThat(back.reportId()).isEqualTo(report.reportId());
        assertThat(back.stored()).isEqualTo(report.stored());
        assertThat(back.stored().has("clientTime")).as("stamped at each send, not stored").isFalse();
    }

    @Test
    void theSameReportIsNotSpooledTwice() throws Exception {
        ReportSpool spool = new ReportSpool(directory, json, 10);
        FailureReport report = report();

        spool.add(report);
        spool.add(report);

        assertThat(spool.size()).isEqualTo(1);
    }

    @Test
    void aFullSpoolDropsTheOldestAndSaysHowMany() throws Exception {
        ReportSpool spool = new ReportSpool(directory, json, 3);
        List<String> ids = new ArrayList<>();
        int evicted = 0;
        for (int i = 0; i < 5; i++) {
            FailureReport report = report();
            ids.add(report.reportId());
            evicted += spool.add(report);
        }

        assertThat(evicted).isEqualTo(2);
        assertThat(spool.oldest(10)).extracting(s -> s.report().reportId()).containsExactlyElementsOf(ids.subList(2, 5));
    }

    @Test
    void aRemovedReportIsGoneAndADamagedFileIsDropped() throws Exception {
        ReportSpool spool = new ReportSpool(directory, json, 10);
        spool.add(report());
        spool.add(report());
        Files.writeString(directory.resolve("0000000000000000001-broken.json"), "{oops");

        List<ReportSpool.Spooled> batch = spool.oldest(10);
        spool.remove(batch.get(0));

        assertThat(batch).hasSize(2);
        assertThat(spool.size()).isEqualTo(1);
    }

    @Test
    void aSentReportCarriesTheClientsClockAndItsStack() throws Exception {
        FailureReport report = report();

        ObjectNode sent = report.sent(Instant.parse("2026-03-14T09:00:00.5Z"));

        assertThat(sent.get("clientTime").asText()).isEqualTo("2026-03-14T09:00:00.500Z");
        assertThat(sent.get("errorClass").asText()).isEqualTo(ErrorClass.VERSION_OR_CIPHER_MISMATCH);
        assertThat(sent.get("runtime").get("version").asText()).isEqualTo(System.getProperty("java.runtime.version"));
        assertThat(sent.get("tls").get("library").asText()).isEqualTo("SunJSSE");
        assertThat(sent.get("tls").get("enabledProtocols")).extracting(n -> n.asText()).containsExactly("TLSv1");
        assertThat(sent.get("tls").get("enabledCipherSuites")).isNotEmpty();
    }

    private FailureReport report() throws Exception {
        return FailureReport.of(json, "inst-1", "lic-1", Instant.parse("2026-03-14T09:00:00Z"),
                "https://licenses.example.com/v1/licenses/validate",
                new Classification(ErrorClass.VERSION_OR_CIPHER_MISMATCH, true, "No appropriate protocol"),
                ClientTls.create(null, List.of("TLSv1"), List.of()), "4.2.0");
    }
}
