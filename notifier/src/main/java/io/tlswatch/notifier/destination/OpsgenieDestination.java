package io.tlswatch.notifier.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.notifier.config.SecretValue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * Opsgenie Alert API: a firing alert is created with {@code alias} = dedup key (Opsgenie deduplicates open
 * alerts on it), a resolved one closes the alert by that alias.
 */
public record OpsgenieDestination(Endpoint endpoint, SecretValue apiKey) implements Destination {

    static final int MAX_MESSAGE = 130;
    static final int MAX_DESCRIPTION = 15_000;

    @Override
    public HttpRequest request(AlertEvent alert) {
        URI uri;
        ObjectNode body = Requests.object();
        if (alert.status() == AlertStatus.RESOLVED) {
            uri = endpoint.resolve("/v2/alerts/" + URLEncoder.encode(alert.dedupKey(), StandardCharsets.UTF_8)
                    .replace("+", "%20") + "/close?identifierType=alias");
            body.put("source", "tlswatch");
            body.put("user", "tlswatch");
            body.put("note", Requests.truncate("Resolved: " + alert.summary(), 25_000));
        } else {
            uri = endpoint.resolve("/v2/alerts");
            create(alert, body);
        }
        return endpoint.post(uri, Requests.bytes(body))
                .header("Authorization", "GenieKey " + apiKey.reveal())
                .build();
    }

    private static void create(AlertEvent alert, ObjectNode body) {
        body.put("message", Requests.truncate(alert.summary(), MAX_MESSAGE));
        body.put("alias", Requests.truncate(alert.dedupKey(), 512));
        body.put("description", Requests.truncate(alert.summary() + "\n\n" + Requests.evidenceText(alert),
                MAX_DESCRIPTION));
        body.putArray("tags").add("tlswatch").add(alert.kind()).add(alert.severity().name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode details = body.putObject("details");
        details.put("dedupKey", alert.dedupKey());
        details.put("kind", alert.kind());
        details.put("startsAt", alert.startsAt().toString());
        if (alert.clientId() != null) {
            details.put("clientId", alert.clientId());
        }
        if (alert.ja4() != null) {
            details.put("ja4", alert.ja4());
        }
        if (alert.posture() != null) {
            details.put("posture", alert.posture().name().toLowerCase(java.util.Locale.ROOT));
        }
        body.put("entity", Requests.subject(alert));
        body.put("source", "tlswatch");
        body.put("priority", switch (alert.severity()) {
            case CRITICAL -> "P1";
            case WARNING -> "P3";
            case INFO -> "P5";
        });
    }
}
