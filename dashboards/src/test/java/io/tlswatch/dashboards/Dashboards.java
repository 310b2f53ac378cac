package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Grafana dashboards of {@code grafana/dashboards/}, and every PromQL expression in them. */
final class Dashboards {

    /** One PromQL expression and where it is: {@code <file> panel <id> "<title>" <refId>}, an annotation or a variable. */
    record Query(String dashboard, String where, String expr) {

        /** The expression with Grafana's variables replaced, as Prometheus would receive it. */
        String concrete(Map<String, String> builtIns) {
            return Dashboards.concrete(expr, builtIns);
        }

        @Override
        public String toString() {
            return dashboard + " " + where + ": " + expr;
        }
    }

    /** What Grafana substitutes for its built-in interval variables when checking a query's syntax. */
    static final Map<String, String> CHECK_INTERVALS = Map.of(
            "$__rate_interval", "5m", "$__range", "1h", "$__interval", "1m");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_][a-zA-Z0-9_]*\\s*\\)\\s*$");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[a-zA-Z_][a-zA-Z0-9_]*(:[a-z]+)?}|\\$[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern METRIC = Pattern.compile("\\b((?:tlswatch|kafka|jvm|process|netty|system)_[a-z0-9_]+)\\b");

    private Dashboards() {
    }

    static Path dir() {
        return Modules.dir().resolve("grafana/dashboards");
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel, with the panels inside collapsed rows. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Panel targets, annotation queries, and variable queries with {@code label_values(...)} unwrapped. */
    static List<Query> queries(Path file) {
        JsonNode dashboard = read(file);
        String name = file.getFileName().toString();
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(name, "panel " + panel.path("id").asInt() + " \"" + panel.path("title").asText()
                        + "\" " + target.path("refId").asText(), target.path("expr").asText()));
            }
        }
        for (JsonNode annotation : dashboard.path("annotations").path("list")) {
            if (annotation.hasNonNull("expr")) {
                queries.add(new Query(name, "annotation \"" + annotation.path("name").asText() + "\"",
                        annotation.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asText())) {
                String query = variable.path("query").isTextual() ? variable.path("query").asText()
                        : variable.path("query").path("query").asText();
                Matcher m = LABEL_VALUES.matcher(query);
                queries.add(new Query(name, "variable $" + variable.path("name").asText(), m.matches() ? m.group(1) : query));
            }
        }
        return queries;
    }

    static List<Query> allQueries() {
        return files().stream().flatMap(f -> queries(f).stream()).toList();
    }

    /** Replaces Grafana's interval variables with the given values and every template variable with {@code .*}. */
    static String concrete(String expr, Map<String, String> builtIns) {
        String out = expr;
        for (Map.Entry<String, String> e : builtIns.entrySet()) {
            out = out.replace("${" + e.getKey().substring(1) + "}", e.getValue()).replace(e.getKey(), e.getValue());
        }
        return VARIABLE.matcher(out).replaceAll(".*");
    }

    /** The template variables a query refers to (without the {@code $}). */
    static Set<String> variables(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            String v = m.group().replaceAll("^\\$\\{?|(:[a-z]+)?}$", "");
            if (!v.startsWith("__")) {
                names.add(v);
            }
        }
        return names;
    }

    /** The metric names an expression reads (those of our services, the JVM and Kafka clients; not up or ALERTS). */
    static Set<String> metricNames(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(QUOTED.matcher(expr).replaceAll("\"\""));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
