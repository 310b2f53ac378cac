package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The node tooling of {@code src/test/node} ({@code @grafana/schema}, {@code ts-json-schema-generator}, {@code ajv},
 * pinned by its package-lock.json), installed with {@code npm ci} into a directory under {@code target/}: generates
 * the JSON Schema of Grafana's {@code Dashboard} type and validates dashboards against a schema.
 */
final class GrafanaDashboardSchema {

    /** One thing a schema refuses in a dashboard: the file's name, the JSON pointer into it, ajv's message. */
    record Violation(String dashboard, String path, String message) {

        @Override
        public String toString() {
            return dashboard + " " + (path.isEmpty() ? "/" : path) + ": " + message;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "dashboard-schema.mjs";
    private static final List<String> SOURCES = List.of("package.json", "package-lock.json", SCRIPT);

    private final Tool node;
    private final Path dir;

    private GrafanaDashboardSchema(Tool node, Path dir) {
        this.node = node;
        this.dir = dir;
    }

    /** What the tooling needs that this machine lacks ({@code node}, {@code npm}), empty when both are there. */
    static Optional<String> missingTools() {
        List<String> missing = Stream.of("node", "npm").filter(t -> Tool.find(t).isEmpty()).toList();
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(" and ", missing));
    }

    /**
     * Copies the tooling into {@code dir} and runs {@code npm ci} there, unless an earlier run already installed the
     * same package-lock.json. npm's cache makes a repeated install work offline ({@code --prefer-offline}).
     */
    static GrafanaDashboardSchema install(Path dir) throws IOException, InterruptedException {
        Path source = Modules.dir().resolve("src/test/node");
        Files.createDirectories(dir);
        boolean installed = Files.exists(dir.resolve("node_modules/.package-lock.json"))
                && Files.exists(dir.resolve("package-lock.json"))
                && Files.mismatch(source.resolve("package-lock.json"), dir.resolve("package-lock.json")) == -1;
        for (String file : SOURCES) {
            Files.copy(source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!installed) {
            // ts-json-schema-generator 2.9 declares node >= 22 but runs on the machine's node 20 (this test shows it):
            // engine-strict off so that a user's npmrc cannot turn that warning into a refusal. No install scripts.
            Tool.Run ci = Tool.find("npm").orElseThrow().runIn(dir, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--prefer-offline", "--engine-strict=false", "--loglevel=error");
            if (ci.exitCode() != 0) {
                throw new IllegalStateException("npm ci in " + dir + " failed (" + ci.exitCode() + "):\n" + ci.output());
            }
        }
        return new GrafanaDashboardSchema(Tool.find("node").orElseThrow(), dir);
    }

    /** Writes the JSON Schema of {@code @grafana/schema}'s {@code Dashboard} type to {@code out}. */
    Path generate(Path out) throws IOException, InterruptedException {
        Tool.Run run = node.runIn(dir, SCRIPT, "generate", out.toAbsolutePath().toString());
        if (run.exitCode() != 0) {
            throw new IllegalStateException("generating the dashboard schema failed (" + run.exitCode() + "):\n" + run.output());
        }
        return out;
    }

    /** Validates each dashboard file against {@code schema}: every violation, in file order. */
    List<Violation> validate(Path schema, List<Path> dashboards) throws IOException, InterruptedException {
        Path result = Files.createTempFile(dir, "validation-", ".json");
        try {
            List<String> args = new ArrayList<>(List.of(SCRIPT, "validate", schema.toAbsolutePath().toString(),
                    result.toString()));
            dashboards.forEach(d -> args.add(d.toAbsolutePath().toString()));
            Tool.Run run = node.runIn(dir, args.toArray(String[]::new));
            if (run.exitCode() != 0) {
                throw new IllegalStateException("validating against " + schema + " failed (" + run.exitCode() + "):\n"
                        + run.output());
            }
            List<Violation> violations = new ArrayList<>();
            for (JsonNode file : JSON.readTree(result.toFile())) {
                String name = Path.of(file.path("file").asText()).getFileName().toString();
                for (JsonNode error : file.path("errors")) {
                    violations.add(new Violation(name, error.path("path").asText(), error.path("message").asText()));
                }
            }
            return violations;
        } finally {
            Files.deleteIfExists(result);
        }
    }
}
