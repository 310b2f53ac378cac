package io.tlswatch.dashboards;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The alert rules and the scrape configuration, checked by Prometheus's own promtool (Debian's
 * {@code prometheus} package, which {@code .ci/run} installs; skipped only where it is absent), and the rules'
 * annotations and tests checked for completeness.
 */
class PrometheusRulesTest {

    private static final Pattern ALERT = Pattern.compile("(?m)^\\s+- alert: (\\w+)\\s*$");
    private static final Pattern NOT_FIRING = Pattern.compile("alertname: (\\w+)\\s+exp_alerts: \\[\\]");
    private static final Pattern FIRING = Pattern.compile("alertname: (\\w+)\\s+exp_alerts:\\s*\\n\\s+- exp_labels:");

    private static Tool promtool() {
        var tool = Tool.find("promtool");
        assumeThat(tool).as("promtool is installed (apt-get install prometheus)").isPresent();
        return tool.orElseThrow();
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path);
    }

    private static List<String> rules() throws IOException {
        List<String> names = new ArrayList<>();
        Matcher m = ALERT.matcher(read(Modules.dir().resolve("prometheus/alerts.yml")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(Modules.dir().resolve("prometheus/tests"))) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void promtoolAcceptsTheRules() throws Exception {
        Tool.Run run = promtool().run("check", "rules", "prometheus/alerts.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: " + rules().size() + " rules found");
    }

    @Test
    void everyRuleUnitTestPasses() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        testFiles().forEach(f -> args.add(Modules.dir().relativize(f).toString()));

        Tool.Run run = promtool().run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("FAILED");
    }

    @Test
    void promtoolAcceptsTheScrapeConfiguration() throws Exception {
        Tool.Run run = promtool().run("check", "config", "prometheus/prometheus.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void theScrapeConfigurationScrapesEveryServiceOnItsAdminPort() throws IOException {
        String config = read(Modules.dir().resolve("prometheus/prometheus.yml"));

        assertThat(config).contains("job_name: tlswatch-validator", "validator:9401", "job_name: tlswatch-collector",
                "collector:9402", "job_name: tlswatch-streams", "streams:9403", "job_name: tlswatch-notifier",
                "notifier:9404");
    }

    @Test
    void everyRuleIsTestedBothFiringAndNotFiring() throws IOException {
        Set<String> firing = new TreeSet<>();
        Set<String> notFiring = new TreeSet<>();
        for (Path file : testFiles()) {
            String text = read(file);
            Matcher quiet = NOT_FIRING.matcher(text);
            while (quiet.find()) {
                notFiring.add(quiet.group(1));
            }
            Matcher loud = FIRING.matcher(text);
            while (loud.find()) {
                firing.add(loud.group(1));
            }
        }

        assertThat(firing).as("rules with a test where they fire").containsAll(rules());
        assertThat(notFiring).as("rules with a test where they do not fire").containsAll(rules());
    }

    @Test
    void everyRuleHasASummaryAndARunbookSection() throws IOException {
        String alerts = read(Modules.dir().resolve("prometheus/alerts.yml"));
        String runbooks = read(Modules.docs().resolve("runbooks.md"));
        Set<String> anchors = new TreeSet<>();
        Matcher heading = Pattern.compile("(?m)^## (\\w+)\\s*$").matcher(runbooks);
        while (heading.find()) {
            anchors.add(heading.group(1).toLowerCase(Locale.ROOT));
        }
        String[] blocks = alerts.split("(?m)^\\s+- alert: ");
        assertThat(blocks.length - 1).isEqualTo(rules().size());
        for (int i = 1; i < blocks.length; i++) {
            String name = blocks[i].substring(0, blocks[i].indexOf('\n')).trim();
            assertThat(blocks[i]).as(name).contains("summary: ").containsPattern("severity: (critical|warning|info)");
            assertThat(blocks[i]).as(name).contains("runbook_url: \"docs/runbooks.md#" + name.toLowerCase(Locale.ROOT) + "\"");
            assertThat(anchors).as("a '## %s' section in docs/runbooks.md", name).contains(name.toLowerCase(Locale.ROOT));
        }
    }
}
