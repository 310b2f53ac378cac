package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.LicenseStatus;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.TlsClients;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboards and alert rules against the real services: validator, collector, streams job and notifier run in
 * this JVM on the test broker with real traffic (a TLS 1.3 JDK client, a TLS 1.0 client in an old-Java child JVM,
 * a client whose trust store lacks our CA, DPoP-bound license checks by the client SDK, reports to the collector,
 * an unreadable record for the streams job, and the alert that all this raises, delivered by the notifier to a
 * local webhook). Then (1) every metric a dashboard or rule queries must be in what the services export, and
 * (2) a real Prometheus scraping them must return data for every panel and variable query.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveStackIT {

    /**
     * Meters that appear only when their condition happens, which this test does not provoke; queries reading
     * them may return nothing. Each is documented in docs/metrics.md under this name.
     */
    static final Map<String, String> NOT_PROVOKED = Map.of();

    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaBroker broker;
    private Path dir;
    private LiveStack stack;

    @BeforeAll
    void startTheStackAndDriveTraffic(KafkaBroker broker) throws Exception {
        this.broker = broker;
        dir = Files.createTempDirectory("tlswatch-live-stack");
        stack = new LiveStack(broker, dir);
        int validator = stack.validatorPort;
        SSLContext trusting = stack.trustingDevCa();

        // a modern client, on both TLS listeners
        assertThat(LiveStack.handshake(validator, trusting, "TLSv1.3")).isNull();
        assertThat(LiveStack.handshake(stack.collector.httpsPort(), trusting, "TLSv1.3")).isNull();
        // a client whose (old) trust store does not know our CA
        assertThat(LiveStack.handshake(validator, SSLContext.getDefault(), "TLSv1.2")).isNotNull();
        assertThat(LiveStack.handshake(stack.collector.httpsPort(), SSLContext.getDefault(), "TLSv1.2")).isNotNull();

        // a license and its DPoP-bound check by the SDK: the client is seen at 127.0.0.1
        String[] issued = stack.issueLicense(broker).split("\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> stack.validator.registry().byLicenseId(issued[1]).isPresent());
        LicenseStatus status = stack.check(issued[0], dir.resolve("client-1"));
        assertThat(status.code()).contains("VALID");

        // then an old Java from the same address, offering TLS 1.0 only: refused (one offer by a fingerprint the
        // modern client was never seen with does not make it stuck)
        TlsClients.Result old = TlsClients.oldJava(validator, "TLSv1", dir);
        assertThat(old.exitCode()).as(old.output()).isNotZero();

        // reports to the collector: accepted ones, from an old Java never seen valid that turns at risk at the
        // third (posture.stuckMinFailures), and a refused one
        URI reports = URI.create("http://127.0.0.1:" + stack.collector.httpPort() + "/v1/reports");
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> accepted = LiveStack.post(reports, "application/json",
                    LiveStack.report("inst-live-2"));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }
        assertThat(LiveStack.post(reports, "application/json", "{\"reportId\": ").statusCode()).isEqualTo(400);

        // a record the streams job cannot read
        LiveStack.unreadableHandshake(broker);

        // the at-risk client's alert reaches the webhook through streams and notifier
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(stack.webhookBodies).as("alerts delivered to the webhook").isNotEmpty();
            assertThat(scrape("tlswatch-streams")).contains("tlswatch_streams_stuck_longest_seconds{")
                    .contains("tlswatch_streams_dead_letters_total{")
                    .contains("tlswatch_streams_fingerprints_outdated_top{");
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private String scrape(String job) throws Exception {
        return LiveStack.get(URI.create("http://127.0.0.1:" + stack.adminPorts().get(job) + "/metrics"));
    }

    private Set<String> exported() throws Exception {
        Set<String> names = new TreeSet<>();
        for (String job : stack.adminPorts().keySet()) {
            scrape(job).lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> l.split("[{ ]", 2)[0]).forEach(names::add);
        }
        return names;
    }

    private static Set<String> queried() {
        Set<String> used = new TreeSet<>();
        Dashboards.allQueries().forEach(q -> used.addAll(Dashboards.metricNames(q.expr())));
        RuleFiles.alertRules().forEach(r -> used.addAll(Dashboards.metricNames(r.expr())));
        return used;
    }

    @Test
    void everyMetricADashboardOrAlertRuleQueriesIsExportedByTheServices() throws Exception {
        Set<String> exported = exported();
        Set<String> used = queried();

        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(exported);
        missing.removeAll(NOT_PROVOKED.keySet());

        assertThat(used).hasSizeGreaterThan(25).contains("tlswatch_streams_clients",
                "tlswatch_streams_stuck_longest_seconds", "tlswatch_certificate_ocsp_stapled",
                "kafka_consumer_fetch_manager_records_lag_max");
        assertThat(missing).as("queried by a dashboard or rule, but exported by no service").isEmpty();
        String metricsDoc = Files.readString(Modules.docs().resolve("metrics.md"));
        assertThat(NOT_PROVOKED.keySet()).as("excused names are real, documented meters")
                .allMatch(name -> metricsDoc.contains("`" + name + "`"));
    }

    @Test
    void theStreamsJobsKafkaMetersCarryItsServiceTagAsTheLagRuleExpects() throws Exception {
        assertThat(scrape("tlswatch-streams").lines()
                .filter(l -> l.startsWith("kafka_consumer_fetch_manager_records_lag_max{")))
                .isNotEmpty().allMatch(l -> l.contains("service=\"streams\""));
    }

    @Test
    void aRealPrometheusScrapingTheServicesHasDataForEveryPanelAndVariableQuery() throws Exception {
        Path binary = Path.of("/usr/bin/prometheus");
        assumeThat(Files.isExecutable(binary)).as("prometheus is installed (apt-get install prometheus)").isTrue();
        int port = FreePorts.next();
        Path config = dir.resolve("prometheus.yml");
        StringBuilder yaml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                """.formatted(Modules.dir().resolve("prometheus/alerts.yml").toAbsolutePath()));
        stack.adminPorts().forEach((job, admin) -> yaml.append("""
                  - job_name: %s
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(job, admin)));
        Files.writeString(config, yaml);
        Path log = dir.resolve("prometheus.log");
        Process prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> LiveStack.get(base.resolve("/-/ready")) != null);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> query(base, "sum(up{job=~\"tlswatch-.*\"})").path(0).path("value").path(1).asText().equals("4"));
            // some traffic while Prometheus watches, so rates over a short window have two samples to compare
            assertThat(LiveStack.handshake(stack.validatorPort, stack.trustingDevCa(), "TLSv1.3")).isNull();

            List<Dashboards.Query> queries = new ArrayList<>();
            for (Dashboards.Query q : Dashboards.allQueries()) {
                if (!q.where().startsWith("annotation")) {
                    queries.add(q);
                }
            }
            Map<String, String> live = Map.of("$__rate_interval", "30s", "$__range", "1h", "$__interval", "5s");
            // Wait for every query to have data (a counter needs two scrapes for a rate), then judge from one
            // last evaluation made here, never from a poll the timeout may have cut short.
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                        .until(() -> noData(base, queries, live).values().stream().allMatch(LiveStackIT::excused));
            } catch (ConditionTimeoutException e) {
                // the assertion below names them
            }
            Map<String, Dashboards.Query> empty = noData(base, queries, live);
            empty.forEach((where, q) -> System.out.println("[LiveStackIT] no data: " + where
                    + (excused(q) ? " (excused: " + excuse(q) + ")" : "") + "\n    " + q.concrete(live)));
            Map<String, String> unexcused = empty.entrySet().stream().filter(e -> !excused(e.getValue()))
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().concrete(live), (a, b) -> a, TreeMap::new));
            assertThat(unexcused).as("panel and variable queries with no data from a live Prometheus").isEmpty();
            assertThat(queries.size() - empty.size()).as("queries with data").isGreaterThan(30);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    /** The queries whose instant evaluation returns nothing, by dashboard and place. */
    private static Map<String, Dashboards.Query> noData(URI base, List<Dashboards.Query> queries, Map<String, String> live)
            throws Exception {
        Map<String, Dashboards.Query> empty = new TreeMap<>();
        for (Dashboards.Query q : queries) {
            if (query(base, q.concrete(live)).isEmpty()) {
                empty.put(q.dashboard() + " " + q.where(), q);
            }
        }
        return empty;
    }

    private static boolean excused(Dashboards.Query q) {
        return Dashboards.metricNames(q.expr()).stream().anyMatch(NOT_PROVOKED::containsKey);
    }

    private static String excuse(Dashboards.Query q) {
        return Dashboards.metricNames(q.expr()).stream().filter(NOT_PROVOKED::containsKey)
                .map(n -> n + ": " + NOT_PROVOKED.get(n)).collect(Collectors.joining("; "));
    }

    /** The result vector of an instant query. */
    private static JsonNode query(URI base, String promql) throws Exception {
        String body = LiveStack.get(base.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        JsonNode answer = JSON.readTree(body);
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError(promql + ": " + body);
        }
        return answer.path("data").path("result");
    }
}
