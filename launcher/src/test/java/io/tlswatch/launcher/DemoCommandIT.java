package io.tlswatch.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.serde.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code tlswatch demo} as a user runs it, the packaged jar in its own JVM, for a short duration: every simulated
 * client whose stack is outdated ends up stuck or at risk and its alert reaches the webhook, no modern one is
 * flagged, a client that upgrades sees its alert resolved, and the demo stops by itself with a summary.
 */
class DemoCommandIT {

    private static final Set<String> FLAGGED = Set.of("stuck", "at_risk");
    private Process demo;

    @AfterEach
    void stop() {
        if (demo != null && demo.isAlive()) {
            demo.destroyForcibly();
        }
    }

    @Test
    void everyOutdatedClientAndNoModernOneEndsUpStuckOrAtRiskWithItsAlertDelivered() throws Exception {
        // given a small fleet of every stack, some of which upgrade or degrade 20 to 30 s after the start, every
        // topic under a prefix so that each service must name them alike (its files under target/, to read after
        // a failure)
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "demo-it");
        deleteTree(dir);
        Path work = dir.resolve("work");
        Files.createDirectories(dir);
        Path output = dir.resolve("demo.txt");
        demo = launch(output, List.of("demo", "--duration", "100s", "--clients", "14", "--seed", "3",
                "--churn", "0.3", "--churn-after", "20s", "--topics-prefix", "demo-it.", "--work-dir", work.toString(),
                "--plain"));

        // when it is ready
        await().atMost(Duration.ofSeconds(90)).until(() -> read(output).contains("Ready in") || !demo.isAlive());
        assertThat(read(output)).contains("Ready in");
        JsonNode fleet = Json.mapper().readTree(work.resolve("fleet.json").toFile()).path("clients");
        URI streams = URI.create(Json.mapper().readTree(work.resolve("endpoints.json").toFile()).path("streams").asText());
        List<String> outdated = new ArrayList<>();
        List<String> healthy = new ArrayList<>();
        List<String> upgraded = new ArrayList<>();
        for (JsonNode client : fleet) {
            String id = client.path("clientId").asText();
            switch (client.path("expected").asText()) {
                case "OUTDATED" -> outdated.add(id);
                case "HEALTHY" -> healthy.add(id);
                default -> { }
            }
            if (client.has("changeTo") && "MODERN".equals(client.path("changeTo").asText())) {
                upgraded.add(id);
            }
        }
        assertThat(outdated).isNotEmpty();
        assertThat(healthy).isNotEmpty();

        // then every outdated client is flagged, no healthy one, and the alerts of each reached the webhook
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, String> postures = postures(http, streams);
            assertThat(outdated).allSatisfy(id -> assertThat(postures.get(id)).as(id).isIn(FLAGGED));
            assertThat(healthy).allSatisfy(id -> assertThat(postures.get(id)).as(id).isNotIn(FLAGGED));
            Map<String, List<String>> alerts = webhookAlerts(work.resolve("webhook.log"));
            assertThat(outdated).allSatisfy(id -> assertThat(alerts.get("tls-outdated:" + id)).as(id).contains("firing"));
            assertThat(upgraded).allSatisfy(id -> assertThat(alerts.get("tls-outdated:" + id)).as(id)
                    .containsSubsequence("firing", "resolved"));
        });
        assertThat(webhookAlerts(work.resolve("webhook.log")).keySet())
                .noneMatch(key -> healthy.stream().anyMatch(id -> key.equals("tls-outdated:" + id)
                        && !upgraded.contains(id)));

        // and it stops by itself after --duration with a summary
        assertThat(demo.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(demo.exitValue()).isZero();
        String printed = read(output);
        assertThat(printed).contains("Summary after").contains("first stuck client").contains("Demo stopped.");
        // and the summary, taken from the posture job just before it stopped, still has every stack where expected
        java.util.regex.Matcher expected = java.util.regex.Pattern.compile("\\((\\d+) of (\\d+) as expected\\)").matcher(printed);
        int stacks = 0;
        while (expected.find()) {
            assertThat(expected.group(1)).as(printed).isEqualTo(expected.group(2));
            stacks++;
        }
        assertThat(stacks).isEqualTo(6);
    }

    @Test
    void sigtermStopsTheDemoWithItsSummaryAndRemovesItsTemporaryDirectory() throws Exception {
        // given a demo running without --duration or --work-dir
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "demo-it-sigterm");
        deleteTree(dir);
        Files.createDirectories(dir);
        Path output = dir.resolve("demo.txt");
        demo = launch(output, List.of("demo", "--clients", "4", "--plain"));
        await().atMost(Duration.ofSeconds(90)).until(() -> read(output).contains("Ready in") || !demo.isAlive());
        String logLine = read(output).lines().filter(l -> l.startsWith("tlswatch demo: logs go to ")).findFirst()
                .orElseThrow();
        Path work = Path.of(logLine.substring("tlswatch demo: logs go to ".length())).getParent();
        assertThat(work).isDirectory();

        // when it gets SIGTERM
        demo.destroy();

        // then it prints the summary, stops everything and deletes its directory
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(read(output)).contains("Summary after").contains("Demo stopped.");
        assertThat(work).doesNotExist();
    }

    private static Map<String, String> postures(HttpClient http, URI streams) throws IOException, InterruptedException {
        Map<String, String> postures = new HashMap<>();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create(streams + "/v1/clients?limit=1000"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // The demo has stopped: what was asserted last says what it never reached.
            return postures;
        }
        if (response.statusCode() == 200) {
            Json.mapper().readTree(response.body()).path("clients")
                    .forEach(row -> postures.put(row.path("clientId").asText(), row.path("posture").asText()));
        }
        return postures;
    }

    /** Each dedup key's statuses, in the order the webhook received them. */
    private static Map<String, List<String>> webhookAlerts(Path log) throws IOException {
        Map<String, List<String>> alerts = new HashMap<>();
        if (!Files.exists(log)) {
            return alerts;
        }
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank() || !line.endsWith("}")) {
                continue;
            }
            JsonNode alert = Json.mapper().readTree(line).path("alert");
            alerts.computeIfAbsent(alert.path("dedupKey").asText(), k -> new ArrayList<>()).add(alert.path("status").asText());
        }
        return alerts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Process launch(Path output, List<String> args) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx768m", "-jar", jar.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
