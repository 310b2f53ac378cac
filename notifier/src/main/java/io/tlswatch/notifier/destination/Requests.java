package io.tlswatch.notifier.destination;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.serde.Json;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/** What every target's request has in common: a JSON POST with a timeout and our user agent. */
final class Requests {

    static final String USER_AGENT = "tlswatch-notifier";

    private Requests() {
    }

    static HttpRequest.Builder jsonPost(URI uri, Duration timeout, byte[] body) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    static byte[] bytes(JsonNode node) {
        try {
            return Json.writer().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    /** The alert as it is on the topic (docs/events.md), as a tree. */
    static ObjectNode alertTree(AlertEvent alert) {
        try {
            return (ObjectNode) Json.reader().readTree(Json.writer().writeValueAsBytes(alert));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The alert's own fields without the envelope: what a pager shows as details. */
    static ObjectNode details(AlertEvent alert) {
        ObjectNode tree = alertTree(alert);
        tree.remove("type");
        tree.remove("source");
        tree.remove("summary");
        tree.put("alertId", alert.id());
        tree.remove("id");
        return tree;
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** What a client, cohort or fingerprint alert is about, for the fields pagers call source or entity. */
    static String subject(AlertEvent alert) {
        if (AlertEvent.KIND_CLIENT_COHORT.equals(alert.kind()) && alert.evidence().cause() != null) {
            return alert.evidence().cause();
        }
        if (alert.clientId() != null) {
            return alert.clientId();
        }
        return alert.ja4() != null ? alert.ja4() : alert.source();
    }

    private static String counts(java.util.Map<String, Long> counts) {
        return counts.entrySet().stream().map(c -> c.getKey() + " " + c.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** A few lines of evidence for a person: failures, reports, versions, runtime, time left. */
    static String evidenceText(AlertEvent alert) {
        StringBuilder text = new StringBuilder();
        var e = alert.evidence();
        if (!e.failuresByReason().isEmpty()) {
            text.append("Handshake failures: ").append(counts(e.failuresByReason())).append('\n');
        }
        if (!e.reportsByErrorClass().isEmpty()) {
            text.append("Client reports: ").append(counts(e.reportsByErrorClass())).append('\n');
        }
        if (e.highestOfferedVersion() != null) {
            text.append("Highest TLS version offered: ").append(e.highestOfferedVersion()).append('\n');
        }
        if (e.runtime() != null) {
            text.append("Runtime: ").append(e.runtime().name())
                    .append(e.runtime().version() == null ? "" : " " + e.runtime().version()).append('\n');
        }
        if (e.entitlementTimeLeft() != null) {
            text.append("Entitlement time left: ").append(e.entitlementTimeLeft()).append('\n');
        }
        if (e.distinctClients() != null) {
            text.append(AlertEvent.KIND_CLIENT_COHORT.equals(alert.kind()) ? "Clients in this cohort: "
                    : "Clients on this fingerprint: ").append(e.distinctClients()).append('\n');
        }
        if (e.cause() != null) {
            text.append("Cause: ").append(e.cause()).append('\n');
        }
        if (e.clients() != null && !e.clients().isEmpty()) {
            text.append("First clients: ").append(String.join(", ", e.clients())).append('\n');
        }
        if (e.queryUrl() != null) {
            text.append("All clients: ").append(e.queryUrl()).append('\n');
        }
        if (!e.ja4s().isEmpty()) {
            text.append("JA4: ").append(String.join(", ", e.ja4s())).append('\n');
        }
        if (!e.lastErrors().isEmpty()) {
            text.append("Last error: ").append(e.lastErrors().get(0)).append('\n');
        }
        return text.toString().strip();
    }
}
