package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.dashboards.GrafanaDashboardSchema.Violation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Every dashboard against a JSON Schema generated at test time from the {@code Dashboard} type Grafana publishes in
 * the npm package {@code @grafana/schema} (the classic dashboard JSON that schemaVersion 42 is), with the exceptions
 * below for fields Grafana itself writes that the type leaves out. An integration test because it installs the
 * package tooling with {@code npm ci} (network on a cold npm cache); it skips, naming what is missing, where node or
 * npm is not installed.
 */
class DashboardSchemaIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Path WORK = Modules.dir().resolve("target/dashboard-schema");

    private static GrafanaDashboardSchema tooling;
    private static Path schema;

    @BeforeAll
    static void generateTheSchemaFromGrafanasTypes() throws Exception {
        var missing = GrafanaDashboardSchema.missingTools();
        assumeThat(missing).as("node and npm are installed (missing: " + missing.orElse("") + ")").isEmpty();

        long start = System.nanoTime();
        tooling = GrafanaDashboardSchema.install(WORK);
        long installed = System.nanoTime();
        ObjectNode generated = (ObjectNode) JSON.readTree(tooling.generate(WORK.resolve("grafana-dashboard.schema.json")).toFile());
        allowWhatGrafanaItselfWritesAndTheTypeLeavesOut(generated);
        schema = WORK.resolve("dashboard.schema.json");
        JSON.writerWithDefaultPrettyPrinter().writeValue(schema.toFile(), generated);
        System.out.printf("[DashboardSchemaIT] npm ci %.1f s, schema generated in %.1f s%n",
                (installed - start) / 1e9, (System.nanoTime() - installed) / 1e9);
    }

    /**
     * Grafana's TypeScript type is stricter than what Grafana writes and imports in exactly these places; each field
     * is named and typed here, so an unknown field anywhere (these objects included) still fails, as does a wrong type.
     * <ul>
     *   <li>Annotation queries on a Prometheus datasource keep their query on the annotation itself: {@code expr},
     *       {@code step}, {@code titleFormat}, {@code textFormat}, {@code tagKeys}, {@code useValueForTime}. Grafana's
     *       Prometheus annotation editor reads and writes them there, and {@code @grafana/data}'s
     *       {@code AnnotationQuery} has an index signature for such plugin fields; the schema's {@code target} is
     *       shaped for the built-in {@code -- Grafana --} datasource only.</li>
     *   <li>Query variables carry {@code definition}, the query as text: Grafana writes it
     *       ({@code @grafana/data}'s {@code QueryVariableModel.definition}) and shows it in the dashboard's variable
     *       settings; the schema's {@code VariableModel} lacks it.</li>
     * </ul>
     */
    static void allowWhatGrafanaItselfWritesAndTheTypeLeavesOut(ObjectNode schema) {
        ObjectNode dashboard = (ObjectNode) schema.path("definitions").path("Dashboard");
        ObjectNode annotation = objectSchema(dashboard, "annotations", "list");
        ObjectNode variable = objectSchema(dashboard, "templating", "list");
        Map.of("expr", "string", "step", "string", "titleFormat", "string", "textFormat", "string", "tagKeys", "string",
                        "useValueForTime", "boolean")
                .forEach((field, type) -> ((ObjectNode) annotation.get("properties")).set(field, NODES.objectNode().put("type", type)));
        ((ObjectNode) variable.get("properties")).set("definition", NODES.objectNode().put("type", "string"));
    }

    /** The closed object schema of the items of {@code dashboard.<property>.<list>}; fails if the type changed shape. */
    private static ObjectNode objectSchema(ObjectNode dashboard, String property, String list) {
        JsonNode items = dashboard.path("properties").path(property).path("properties").path(list).path("items");
        assertThat(items.path("properties").isObject()).as(property + "." + list + " items in " + dashboard).isTrue();
        assertThat(items.path("additionalProperties").asBoolean(true)).as(property + "." + list + " items are closed").isFalse();
        return (ObjectNode) items;
    }

    @Test
    void theSchemaIsGrafanasDashboardTypeAndClosed() throws Exception {
        JsonNode dashboard = JSON.readTree(schema.toFile()).path("definitions").path("Dashboard");

        assertThat(dashboard.path("required")).extracting(JsonNode::asText).containsExactly("schemaVersion");
        assertThat(dashboard.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(dashboard.path("properties").path("panels").path("items").path("anyOf")).hasSize(2);
    }

    @Test
    void everyDashboardMatchesGrafanasDashboardType() throws Exception {
        long start = System.nanoTime();
        List<Violation> violations = tooling.validate(schema, Dashboards.files());
        System.out.printf("[DashboardSchemaIT] %d dashboards validated in %.1f s%n", Dashboards.files().size(),
                (System.nanoTime() - start) / 1e9);

        assertThat(violations).as(violations.stream().map(Violation::toString).collect(Collectors.joining("\n"))).isEmpty();
    }

    @Test
    void aPanelWhoseGridPosIsAStringIsRejectedNamingTheDashboardAndThePath() throws Exception {
        int panel = firstNonRowPanel();

        List<Violation> violations = validateBrokenCopy("gridpos-string",
                d -> ((ObjectNode) d.path("panels").path(panel)).put("gridPos", "0,0,12,8"));

        assertThat(violations).as(violations.toString())
                .anyMatch(v -> v.dashboard().equals("tls-posture.json") && v.path().equals("/panels/" + panel + "/gridPos")
                        && v.message().contains("must be object"));
    }

    @Test
    void aRefreshThatIsNotAnIntervalStringIsRejected() throws Exception {
        List<Violation> violations = validateBrokenCopy("refresh-number", d -> ((ObjectNode) d).put("refresh", 30));

        assertThat(violations).as(violations.toString())
                .anyMatch(v -> v.path().equals("/refresh") && v.message().contains("must be string"));
    }

    @Test
    void anUnknownFieldInAPanelsFieldConfigIsRejected() throws Exception {
        int panel = firstNonRowPanel();

        List<Violation> violations = validateBrokenCopy("unknown-field",
                d -> ((ObjectNode) d.path("panels").path(panel).path("fieldConfig").path("defaults")).put("unitt", "s"));

        assertThat(violations).as(violations.toString())
                .anyMatch(v -> v.path().equals("/panels/" + panel + "/fieldConfig/defaults")
                        && v.message().contains("must NOT have additional properties") && v.message().contains("unitt"));
    }

    @Test
    void aThresholdModeGrafanaDoesNotKnowIsRejected() throws Exception {
        int panel = firstNonRowPanel();

        List<Violation> violations = validateBrokenCopy("threshold-mode",
                d -> ((ObjectNode) d.path("panels").path(panel).path("fieldConfig").path("defaults"))
                        .set("thresholds", NODES.objectNode().put("mode", "relative").set("steps", NODES.arrayNode())));

        assertThat(violations).as(violations.toString())
                .anyMatch(v -> v.path().equals("/panels/" + panel + "/fieldConfig/defaults/thresholds/mode")
                        && v.message().contains("must be equal to one of the allowed values"));
    }

    @Test
    void theAnnotationExceptionAllowsOnlyTheNamedPrometheusFieldsWithTheirTypes() throws Exception {
        int prometheus = prometheusAnnotation();

        List<Violation> wrongType = validateBrokenCopy("annotation-expr-number",
                d -> ((ObjectNode) d.path("annotations").path("list").path(prometheus)).put("expr", 42));
        List<Violation> unknown = validateBrokenCopy("annotation-unknown-field",
                d -> ((ObjectNode) d.path("annotations").path("list").path(prometheus)).put("exprs", "up"));

        assertThat(wrongType).as(wrongType.toString()).anyMatch(v -> v.path().equals("/annotations/list/" + prometheus + "/expr")
                && v.message().contains("must be string"));
        assertThat(unknown).as(unknown.toString()).anyMatch(v -> v.path().equals("/annotations/list/" + prometheus)
                && v.message().contains("must NOT have additional properties") && v.message().contains("exprs"));
    }

    /** Writes tls-posture.json, changed by {@code breakIt}, under target and validates it alone. */
    private static List<Violation> validateBrokenCopy(String name, Consumer<JsonNode> breakIt) throws Exception {
        JsonNode dashboard = JSON.readTree(Dashboards.dir().resolve("tls-posture.json").toFile());
        breakIt.accept(dashboard);
        Path copy = WORK.resolve("broken").resolve(name).resolve("tls-posture.json");
        Files.createDirectories(copy.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(copy.toFile(), dashboard);

        List<Violation> violations = tooling.validate(schema, List.of(copy));

        assertThat(violations).as("a broken copy (" + name + ") is rejected").isNotEmpty();
        return violations;
    }

    private static int firstNonRowPanel() throws Exception {
        ArrayNode panels = (ArrayNode) JSON.readTree(Dashboards.dir().resolve("tls-posture.json").toFile()).path("panels");
        for (int i = 0; i < panels.size(); i++) {
            if (!"row".equals(panels.get(i).path("type").asText())) {
                return i;
            }
        }
        throw new IllegalStateException("tls-posture.json has no panel outside rows");
    }

    private static int prometheusAnnotation() throws Exception {
        JsonNode list = JSON.readTree(Dashboards.dir().resolve("tls-posture.json").toFile()).path("annotations").path("list");
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).has("expr")) {
                return i;
            }
        }
        throw new IllegalStateException("tls-posture.json has no Prometheus annotation");
    }
}
