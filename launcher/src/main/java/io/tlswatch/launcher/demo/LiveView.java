package io.tlswatch.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.launcher.fleet.FleetMember;
import io.tlswatch.launcher.fleet.Stack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The demo's terminal view: clients by posture, the stuck and at-risk ones with their evidence, alerts as they
 * are delivered, events per second, and the endpoints. Redrawn in place on a terminal; periodic lines otherwise.
 */
final class LiveView implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final List<String> POSTURES = List.of("healthy", "degraded", "stuck", "at_risk");
    private static final List<Topic<?, ?>> EVENT_TOPICS = List.of(Topics.HANDSHAKES, Topics.LICENSE_CHECKS,
            Topics.CLIENT_REPORTS);
    private static final int SHOWN_ALERTS = 8;
    private static final int SHOWN_STUCK = 12;

    private final DemoServices services;
    private final PrintWriter out;
    private final boolean ansi;
    private final Instant commandStarted;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Admin admin;
    private Map<String, JsonNode> rows = Map.of();
    private Map<String, Long> lastOffsets = Map.of();
    private Instant lastOffsetsAt;
    private double eventsPerSecond;
    private final Map<String, Double> perTopic = new LinkedHashMap<>();
    private volatile Instant firstFlaggedRow;
    private volatile Instant firstStuckAlert;

    LiveView(DemoServices services, PrintWriter out, boolean ansi, Instant commandStarted) {
        this.services = services;
        this.out = out;
        this.ansi = ansi;
        this.commandStarted = commandStarted;
        this.admin = Admin.create(KafkaSettings.of(services.bootstrapServers()).admin());
    }

    /** The topic's name on the demo's broker: under the demo's prefix. */
    private String deployedName(Topic<?, ?> topic) {
        return services.topics().named(topic).name();
    }

    /** A delivered alert: printed at once in plain mode (the redrawn view shows the latest ones). */
    synchronized void alert(WebhookReceiver.ReceivedAlert alert) {
        if (alert.firing() && alert.dedupKey().startsWith("tls-outdated:") && firstStuckAlert == null) {
            firstStuckAlert = alert.receivedAt();
        }
        if (!ansi) {
            out.println("alert " + describe(alert));
            out.flush();
        }
    }

    /** Fetches postures and offsets, then draws. */
    synchronized void refresh() {
        fetchRows();
        fetchRates();
        if (ansi) {
            out.print("\033[H\033[2J");
            out.print(render());
        } else {
            out.println(statusLine());
        }
        out.flush();
    }

    private void fetchRows() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create(services.streamsUrl() + "/v1/clients?limit=1000")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return;
            }
            Map<String, JsonNode> fetched = new HashMap<>();
            for (JsonNode row : Json.mapper().readTree(response.body()).path("clients")) {
                fetched.put(row.path("clientId").asText(), row);
            }
            rows = fetched;
            if (firstFlaggedRow == null && fetched.values().stream().anyMatch(LiveView::flagged)) {
                firstFlaggedRow = Instant.now();
            }
        } catch (IOException e) {
            // The job is starting or rebalancing: keep what was shown.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fetchRates() {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        EVENT_TOPICS.forEach(t -> request.put(new TopicPartition(deployedName(t), 0), OffsetSpec.latest()));
        try {
            Map<String, Long> offsets = new HashMap<>();
            admin.listOffsets(request).all().get(5, TimeUnit.SECONDS)
                    .forEach((tp, info) -> offsets.merge(tp.topic(), info.offset(), Long::sum));
            Instant now = Instant.now();
            if (lastOffsetsAt != null) {
                double seconds = Math.max(0.001, Duration.between(lastOffsetsAt, now).toMillis() / 1000.0);
                eventsPerSecond = 0;
                for (Topic<?, ?> topic : EVENT_TOPICS) {
                    String name = deployedName(topic);
                    double rate = (offsets.getOrDefault(name, 0L) - lastOffsets.getOrDefault(name, 0L)) / seconds;
                    perTopic.put(topic.name(), rate);
                    eventsPerSecond += rate;
                }
            }
            lastOffsets = offsets;
            lastOffsetsAt = now;
        } catch (ExecutionException | TimeoutException e) {
            // Shown as before; the next refresh tries again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean flagged(JsonNode row) {
        String posture = row.path("posture").asText();
        return "stuck".equals(posture) || "at_risk".equals(posture);
    }

    private Map<String, Long> counts(List<FleetMember> members) {
        Map<String, Long> counts = new LinkedHashMap<>();
        POSTURES.forEach(p -> counts.put(p, 0L));
        long unjudged = 0;
        for (FleetMember member : members) {
            JsonNode row = rows.get(member.clientId());
            if (row == null) {
                unjudged++;
            } else {
                counts.merge(row.path("posture").asText(), 1L, Long::sum);
            }
        }
        counts.put("not judged yet", unjudged);
        return counts;
    }

    private String statusLine() {
        List<FleetMember> members = services.fleet().members();
        List<WebhookReceiver.ReceivedAlert> alerts = services.webhooks().alerts();
        return String.format(Locale.ROOT, "[%s] clients: %s | %.1f events/s | alerts: %d firing, %d resolved",
                clock(), counts(members).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")),
                eventsPerSecond, alerts.stream().filter(WebhookReceiver.ReceivedAlert::firing).count(),
                alerts.stream().filter(a -> !a.firing()).count());
    }

    private String render() {
        List<FleetMember> members = services.fleet().members();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "tlswatch demo: %d simulated clients, running %s. Ctrl-C stops it.%n%n",
                members.size(), clock()));
        s.append("Clients by posture:  ").append(counts(members).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("   "))).append("\n");
        s.append(String.format(Locale.ROOT, "Events per second:   %.1f  (handshakes %.1f, license checks %.1f, client reports %.1f)%n%n",
                eventsPerSecond, perTopic.getOrDefault(Topics.HANDSHAKES.name(), 0.0),
                perTopic.getOrDefault(Topics.LICENSE_CHECKS.name(), 0.0),
                perTopic.getOrDefault(Topics.CLIENT_REPORTS.name(), 0.0)));
        List<String> stuck = new ArrayList<>();
        for (FleetMember member : members) {
            JsonNode row = rows.get(member.clientId());
            if (row != null && flagged(row)) {
                stuck.add(String.format(Locale.ROOT, "  %-8s %-9s %-16s %-8s %s", member.plan().name(),
                        shortId(member.clientId()), member.stack().label(), row.path("posture").asText(), evidence(row)));
            }
        }
        s.append("Stuck and at-risk clients (").append(stuck.size()).append("):\n");
        stuck.stream().limit(SHOWN_STUCK).forEach(line -> s.append(line).append("\n"));
        if (stuck.size() > SHOWN_STUCK) {
            s.append("  ... and ").append(stuck.size() - SHOWN_STUCK).append(" more\n");
        }
        List<WebhookReceiver.ReceivedAlert> alerts = services.webhooks().alerts();
        s.append(String.format(Locale.ROOT, "%nAlerts delivered to the webhook (%d firing, %d resolved), latest first:%n",
                alerts.stream().filter(WebhookReceiver.ReceivedAlert::firing).count(),
                alerts.stream().filter(a -> !a.firing()).count()));
        for (int i = alerts.size() - 1; i >= Math.max(0, alerts.size() - SHOWN_ALERTS); i--) {
            s.append("  ").append(describe(alerts.get(i))).append("\n");
        }
        s.append("\nEndpoints:\n");
        services.endpoints().forEach((name, url) -> s.append(String.format(Locale.ROOT, "  %-16s %s%n", name, url)));
        return s.toString();
    }

    private String describe(WebhookReceiver.ReceivedAlert alert) {
        String name = services.fleet().members().stream().filter(m -> m.clientId().equals(alert.clientId()))
                .map(m -> m.plan().name() + " ").findFirst().orElse("");
        String summary = alert.summary().length() > 110 ? alert.summary().substring(0, 107) + "..." : alert.summary();
        return String.format(Locale.ROOT, "%s %-8s %-8s %s%s: %s", TIME.format(alert.receivedAt()),
                alert.status().toUpperCase(Locale.ROOT), alert.severity(), name, alert.dedupKey(), summary);
    }

    private static String evidence(JsonNode row) {
        List<String> parts = new ArrayList<>();
        row.path("reasons").forEach(r -> parts.add(r.asText()));
        String offered = row.path("highestOfferedVersion").asText("");
        if (!offered.isEmpty()) {
            parts.add("offers " + offered);
        }
        row.path("failuresByReason").fields().forEachRemaining(e -> parts.add(e.getKey() + " x" + e.getValue().asLong()));
        row.path("reportsByErrorClass").fields().forEachRemaining(e -> parts.add(e.getKey() + " x" + e.getValue().asLong()));
        return String.join(", ", parts);
    }

    private static String shortId(String clientId) {
        return clientId.length() > 13 ? clientId.substring(0, 13) : clientId;
    }

    private String clock() {
        long seconds = Duration.between(commandStarted, Instant.now()).toSeconds();
        return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    /** The end: how each simulated stack ended up, the alerts, and how soon the first stuck client was flagged. */
    synchronized String summary() {
        fetchRows();
        List<FleetMember> members = services.fleet().members();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "Summary after %s: %d simulated clients, %d license checks.%n", clock(),
                members.size(), members.stream().mapToLong(FleetMember::checks).sum()));
        Map<Stack, List<FleetMember>> byStack = members.stream().collect(Collectors.groupingBy(FleetMember::stack,
                () -> new java.util.EnumMap<>(Stack.class), Collectors.toList()));
        byStack.forEach((stack, list) -> {
            Map<String, Long> postures = list.stream().collect(Collectors.groupingBy(
                    m -> rows.containsKey(m.clientId()) ? rows.get(m.clientId()).path("posture").asText() : "not judged",
                    java.util.TreeMap::new, Collectors.counting()));
            long met = list.stream().filter(m -> rows.containsKey(m.clientId()) && stack.expectation().postures()
                    .contains(rows.get(m.clientId()).path("posture").asText())).count();
            s.append(String.format(Locale.ROOT, "  %-16s %3d clients, expected %-14s -> %s (%d of %d as expected)%n",
                    stack.label(), list.size(), String.join("/", stack.expectation().postures()), postures, met,
                    list.size()));
        });
        List<WebhookReceiver.ReceivedAlert> alerts = services.webhooks().alerts();
        s.append(String.format(Locale.ROOT, "  alerts delivered: %d firing, %d resolved (webhook log %s)%n",
                alerts.stream().filter(WebhookReceiver.ReceivedAlert::firing).count(),
                alerts.stream().filter(a -> !a.firing()).count(), services.webhooks().logFile()));
        if (firstFlaggedRow != null || firstStuckAlert != null) {
            s.append(String.format(Locale.ROOT, "  first stuck client: seen %s, its alert delivered %s after the command started%n",
                    since(firstFlaggedRow), since(firstStuckAlert)));
        } else {
            s.append("  no client was flagged stuck\n");
        }
        return s.toString();
    }

    private String since(Instant at) {
        return at == null ? "(not yet)" : String.format(Locale.ROOT, "%.1f s",
                Duration.between(commandStarted, at).toMillis() / 1000.0);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
