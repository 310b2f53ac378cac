package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every dashboard is importable by a current Grafana and follows the rules of docs/dashboards.md: schema version,
 * title, uid, unique panel ids, grid positions that do not overlap, the datasource variable everywhere (no
 * hard-coded uid), a unit, well-formed thresholds and a description on every panel, links between the
 * dashboards and alert annotations.
 */
class DashboardStructureTest {

    /** Grafana 12/13's dashboard schema version. */
    private static final int SCHEMA_VERSION = 42;
    private static final String DATASOURCE = "${datasource}";
    /** Grafana's unit ids this project uses; a typo would show raw numbers. */
    private static final Set<String> UNITS = Set.of("none", "short", "s", "ms", "d", "h", "m", "dtdurations",
            "percent", "percentunit", "reqps", "ops", "rps", "bytes", "decbytes");
    private static final Set<String> PANEL_TYPES = Set.of("row", "stat", "timeseries", "table", "bargauge", "gauge",
            "text", "piechart", "heatmap");

    @Test
    void thereAreTheThreeDashboardsOfTheIssue() {
        List<String> uids = Dashboards.files().stream().map(f -> Dashboards.read(f).path("uid").asText()).toList();

        assertThat(uids).containsExactlyInAnyOrder("tlswatch-certificates", "tlswatch-pipeline", "tlswatch-tls-posture");
    }

    @Test
    void everyDashboardHasTheCurrentSchemaATitleAndAValidUniqueUid() {
        Set<String> uids = new HashSet<>();
        for (Path file : Dashboards.files()) {
            JsonNode d = Dashboards.read(file);
            assertThat(d.path("schemaVersion").asInt()).as(file + " schemaVersion").isEqualTo(SCHEMA_VERSION);
            assertThat(d.path("title").asText()).as(file + " title").isNotBlank();
            assertThat(d.path("uid").asText()).as(file + " uid").matches("[A-Za-z0-9_-]{1,40}");
            assertThat(uids.add(d.path("uid").asText())).as(file + " uid unique").isTrue();
            assertThat(d.path("tags")).as(file + " tags").extracting(JsonNode::asText).contains("tlswatch");
        }
    }

    @Test
    void panelIdsAreUniqueAndGridPositionsDoNotOverlap() {
        for (Path file : Dashboards.files()) {
            List<JsonNode> panels = Dashboards.panels(Dashboards.read(file));
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode p : panels) {
                String name = file.getFileName() + " panel " + p.path("id") + " " + p.path("title");
                assertThat(p.path("id").isInt()).as(name + " id").isTrue();
                assertThat(ids.add(p.path("id").asInt())).as(name + " id unique").isTrue();
                JsonNode g = p.path("gridPos");
                int x = g.path("x").asInt(-1);
                int y = g.path("y").asInt(-1);
                int w = g.path("w").asInt(0);
                int h = g.path("h").asInt(0);
                assertThat(x).as(name + " x").isBetween(0, 23);
                assertThat(y).as(name + " y").isNotNegative();
                assertThat(w).as(name + " w").isPositive();
                assertThat(x + w).as(name + " x + w").isLessThanOrEqualTo(24);
                assertThat(h).as(name + " h").isPositive();
                for (int[] other : boxes) {
                    boolean overlap = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3]
                            && other[1] < y + h;
                    assertThat(overlap).as(name + " overlaps the panel at " + List.of(other[0], other[1])).isFalse();
                }
                boxes.add(new int[]{x, y, w, h});
            }
        }
    }

    @Test
    void everyPanelAndQueryUsesTheDatasourceVariableAndNoHardCodedUid() {
        for (Path file : Dashboards.files()) {
            JsonNode d = Dashboards.read(file);
            JsonNode first = d.path("templating").path("list").path(0);
            assertThat(first.path("type").asText()).as(file + " first variable").isEqualTo("datasource");
            assertThat(first.path("name").asText()).isEqualTo("datasource");
            assertThat(first.path("query").asText()).isEqualTo("prometheus");
            for (JsonNode p : Dashboards.panels(d)) {
                String name = file.getFileName() + " panel " + p.path("id") + " " + p.path("title");
                if ("row".equals(p.path("type").asText())) {
                    continue;
                }
                assertThat(p.path("datasource").path("uid").asText()).as(name).isEqualTo(DATASOURCE);
                assertThat(p.path("targets")).as(name + " targets").isNotEmpty();
                for (JsonNode t : p.path("targets")) {
                    assertThat(t.path("datasource").path("uid").asText()).as(name + " target " + t.path("refId"))
                            .isEqualTo(DATASOURCE);
                    assertThat(t.path("expr").asText()).as(name + " target " + t.path("refId")).isNotBlank();
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                if ("query".equals(v.path("type").asText())) {
                    assertThat(v.path("datasource").path("uid").asText()).as(file + " $" + v.path("name")).isEqualTo(DATASOURCE);
                }
            }
            for (JsonNode a : d.path("annotations").path("list")) {
                if (a.hasNonNull("expr")) {
                    assertThat(a.path("datasource").path("uid").asText()).as(file + " annotation " + a.path("name"))
                            .isEqualTo(DATASOURCE);
                }
            }
            List<String> uids = d.findValues("uid").stream().map(JsonNode::asText).toList();
            assertThat(uids).as(file + ": every uid is the dashboard's own, the variable or Grafana's built-in")
                    .allMatch(u -> u.equals(DATASOURCE) || u.equals("-- Grafana --") || u.equals(d.path("uid").asText()));
        }
    }

    @Test
    void everyPanelHasAKnownTypeAUnitWellFormedThresholdsAndADescription() {
        for (Path file : Dashboards.files()) {
            for (JsonNode p : Dashboards.panels(Dashboards.read(file))) {
                String name = file.getFileName() + " panel " + p.path("id") + " " + p.path("title");
                assertThat(p.path("type").asText()).as(name + " type").isIn(PANEL_TYPES);
                assertThat(p.path("title").asText()).as(name + " title").isNotBlank();
                if ("row".equals(p.path("type").asText())) {
                    continue;
                }
                JsonNode defaults = p.path("fieldConfig").path("defaults");
                assertThat(defaults.path("unit").asText()).as(name + " unit").isIn(UNITS);
                assertThat(p.path("description").asText()).as(name + " description").hasSizeGreaterThan(20);
                JsonNode thresholds = defaults.path("thresholds");
                assertThat(thresholds.path("mode").asText()).as(name + " thresholds mode").isIn("absolute", "percentage");
                JsonNode steps = thresholds.path("steps");
                assertThat(steps.isArray() && !steps.isEmpty()).as(name + " threshold steps").isTrue();
                assertThat(steps.get(0).path("value").isNull()).as(name + " first step is the base (null)").isTrue();
                double previous = Double.NEGATIVE_INFINITY;
                for (JsonNode step : steps) {
                    assertThat(step.path("color").asText()).as(name + " step color").isNotBlank();
                    if (!step.path("value").isNull()) {
                        assertThat(step.path("value").isNumber()).as(name + " step value is a number").isTrue();
                        assertThat(step.path("value").asDouble()).as(name + " steps ascend").isGreaterThan(previous);
                        previous = step.path("value").asDouble();
                    }
                }
                for (JsonNode mapping : defaults.path("mappings")) {
                    assertThat(mapping.path("type").asText()).as(name + " mapping type").isIn("value", "range", "regex", "special");
                    assertThat(mapping.path("options").isObject()).as(name + " mapping options").isTrue();
                }
            }
        }
    }

    @Test
    void everyVariableAQueryUsesIsDefined() {
        for (Path file : Dashboards.files()) {
            JsonNode d = Dashboards.read(file);
            Set<String> defined = new TreeSet<>();
            d.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
            for (Dashboards.Query q : Dashboards.queries(file)) {
                assertThat(defined).as(q.toString()).containsAll(Dashboards.variables(q.expr()));
            }
        }
    }

    @Test
    void everyDashboardLinksToTheOthersAndShowsFiringAlerts() {
        for (Path file : Dashboards.files()) {
            JsonNode d = Dashboards.read(file);
            JsonNode link = d.path("links").path(0);
            assertThat(link.path("type").asText()).as(file + " link").isEqualTo("dashboards");
            assertThat(link.path("tags")).extracting(JsonNode::asText).containsExactly("tlswatch");
            assertThat(link.path("keepTime").asBoolean()).isTrue();
            assertThat(link.path("includeVars").asBoolean()).isTrue();
            assertThat(d.path("annotations").path("list").findValuesAsText("expr"))
                    .as(file + " alert annotation").anyMatch(e -> e.startsWith("ALERTS{alertstate=\"firing\""));
        }
    }

    @Test
    void theTlsPostureDashboardLeadsWithTheAtRiskCount() {
        JsonNode d = Dashboards.read(Dashboards.dir().resolve("tls-posture.json"));
        JsonNode headline = Dashboards.panels(d).stream().filter(p -> !"row".equals(p.path("type").asText()))
                .findFirst().orElseThrow();

        assertThat(headline.path("type").asText()).isEqualTo("stat");
        assertThat(headline.path("gridPos").path("x").asInt()).isZero();
        assertThat(headline.path("targets").path(0).path("expr").asText())
                .isEqualTo("sum(tlswatch_streams_clients{posture=\"at_risk\"})");
    }
}
