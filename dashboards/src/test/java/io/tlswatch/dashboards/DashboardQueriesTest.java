package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Every PromQL expression of every dashboard (panel targets, annotations, variable queries), turned into recording
 * rules with Grafana's variables replaced, passes {@code promtool check rules}: a broken query fails the build.
 */
class DashboardQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Tool promtool() {
        var tool = Tool.find("promtool");
        assumeThat(tool).as("promtool is installed (apt-get install prometheus)").isPresent();
        return tool.orElseThrow();
    }

    /** A rule file (JSON is YAML) with one recording rule per query. */
    private static Path rules(Path dir, List<Dashboards.Query> queries) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode rules = root.putArray("groups").addObject().put("name", "dashboard-queries").putArray("rules");
        for (int i = 0; i < queries.size(); i++) {
            rules.addObject().put("record", "dashboard:query:" + i).put("expr", queries.get(i).concrete(Dashboards.CHECK_INTERVALS));
        }
        Path file = dir.resolve("dashboard-queries.yml");
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }

    @Test
    void promtoolAcceptsEveryDashboardQuery(@TempDir Path dir) throws Exception {
        List<Dashboards.Query> queries = Dashboards.allQueries();
        assertThat(queries).hasSizeGreaterThan(30);

        Tool.Run run = promtool().run("check", "rules", rules(dir, queries).toString());

        assertThat(run.exitCode()).as(run.output() + "\nqueries:\n" + String.join("\n",
                queries.stream().map(Dashboards.Query::toString).toList())).isZero();
        assertThat(run.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void aBrokenQueryIsRefused(@TempDir Path dir) throws Exception {
        List<Dashboards.Query> broken = List.of(new Dashboards.Query("broken.json", "panel 1",
                "sum by (reason) (rate(tlswatch_handshakes_total{outcome=\"failure\"}[$__rate_interval])"));

        Tool.Run run = promtool().run("check", "rules", rules(dir, broken).toString());

        assertThat(run.exitCode()).as(run.output()).isNotZero();
    }

    @Test
    void grafanaVariablesAreReplacedByWhatPrometheusAccepts() {
        String expr = "sum(rate(x{instance=~\"$instance\", c=~\"${certificate}\"}[$__rate_interval])) + increase(x[$__range])"
                + " + rate(x[${__interval}])";

        assertThat(Dashboards.concrete(expr, Dashboards.CHECK_INTERVALS))
                .isEqualTo("sum(rate(x{instance=~\".*\", c=~\".*\"}[5m])) + increase(x[1h]) + rate(x[1m])");
        assertThat(Dashboards.variables(expr)).containsExactly("certificate", "instance");
    }

    @Test
    void metricNamesAreReadFromExpressionsNotFromLabelValues() {
        assertThat(Dashboards.metricNames("sum by (topic) (rate(tlswatch_events_published_total{topic=\"tlswatch_x_y\"}[5m]))"
                + " / on() kafka_producer_record_error_total and up"))
                .containsExactly("kafka_producer_record_error_total", "tlswatch_events_published_total");
    }

    @Test
    void everyQueryFileIsWrittenWhereTheToolCanReadIt(@TempDir Path dir) throws Exception {
        Path file = rules(dir, Dashboards.allQueries());

        assertThat(Files.readString(file)).contains("dashboard:query:0");
    }
}
