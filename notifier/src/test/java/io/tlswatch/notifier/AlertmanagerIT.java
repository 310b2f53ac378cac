package io.tlswatch.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The Alertmanager target against a real Alertmanager (Debian's {@code prometheus-alertmanager}, which
 * {@code .ci/run} installs); skipped only where the binary is absent.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AlertmanagerIT {

    private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();
    private Process alertmanager;
    private URI base;

    @BeforeEach
    void startAlertmanager(@TempDir Path dir) throws Exception {
        assumeThat(Files.isExecutable(BINARY)).as("%s is installed (apt-get install prometheus-alertmanager)", BINARY)
                .isTrue();
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: blackhole
                  group_by: [dedup_key]
                receivers:
                  - name: blackhole
                """);
        int port = FreePorts.next();
        base = URI.create("http://127.0.0.1:" + port);
        alertmanager = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true)
                .redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        await().atMost(WAIT).ignoreExceptions().until(() -> get("/-/ready").statusCode() == 200);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly();
            }
        }
    }

    @Test
    void firesResolvesAndFollowsASeverityChangeUnderOneDedupKey(KafkaBroker broker) throws Exception {
        // given a notifier delivering to this Alertmanager
        try (NotifierHarness harness = new NotifierHarness(broker)) {
            harness.start(Map.of("targets", "am", "target.am.kind", "alertmanager", "target.am.url", base.toString()),
                    Map.of());

            // when a client's alert fires as a warning
            AlertEvent warning = Alerts.firing("inst-am-1", Severity.WARNING);
            harness.publish(warning);

            // then Alertmanager holds it, active, labelled by dedup key and severity, for the firing TTL
            await().atMost(WAIT).until(() -> alerts(warning.dedupKey()).size() == 1);
            JsonNode held = alerts(warning.dedupKey()).get(0);
            assertThat(held.at("/labels/alertname").asText()).isEqualTo("TlswatchClientPosture");
            assertThat(held.at("/labels/severity").asText()).isEqualTo("warning");
            assertThat(held.at("/labels/client_id").asText()).isEqualTo("inst-am-1");
            assertThat(held.at("/annotations/summary").asText()).isEqualTo(warning.summary());
            assertThat(held.at("/status/state").asText()).isEqualTo("active");
            assertThat(Instant.parse(held.path("endsAt").asText())).isAfter(Instant.now().plus(Duration.ofDays(6)));

            // when it turns critical under the same key
            AlertEvent critical = Alerts.firing("inst-am-1", Severity.CRITICAL);
            harness.publish(critical);

            // then only the critical one is active
            await().atMost(WAIT).until(() -> alerts(warning.dedupKey()).stream()
                    .map(a -> a.at("/labels/severity").asText()).toList().equals(List.of("critical")));

            // when it resolves
            harness.publish(Alerts.resolved(critical));

            // then Alertmanager holds no active alert for the key any more
            await().atMost(WAIT).until(() -> alerts(warning.dedupKey()).isEmpty());
            await().atMost(WAIT).until(() -> harness.committed() == 3);
        }
    }

    /** The alerts Alertmanager lists for one dedup key (its API leaves resolved ones out). */
    private List<JsonNode> alerts(String dedupKey) throws Exception {
        HttpResponse<String> response = get("/api/v2/alerts?filter=" + java.net.URLEncoder.encode(
                "dedup_key=\"" + dedupKey + "\"", java.nio.charset.StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        Json.reader().readTree(response.body()).forEach(out::add);
        return out;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
