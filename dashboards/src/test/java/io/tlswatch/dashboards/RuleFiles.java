package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The alert rules of {@code prometheus/alerts.yml}, read as YAML. */
final class RuleFiles {

    /** One rule's name and expression. */
    record Rule(String name, String expr) {
    }

    private RuleFiles() {
    }

    static List<Rule> alertRules() {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Modules.dir().resolve("prometheus/alerts.yml").toFile());
            List<Rule> rules = new ArrayList<>();
            for (JsonNode group : root.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    rules.add(new Rule(rule.path("alert").asText(rule.path("record").asText()), rule.path("expr").asText()));
                }
            }
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
