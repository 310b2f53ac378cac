package io.tlswatch.notifier.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.notifier.config.SecretValue;

import java.net.http.HttpRequest;
import java.util.Locale;

/**
 * PagerDuty Events API v2 ({@code POST /v2/enqueue}): {@code trigger} for a firing alert, {@code resolve} for a
 * resolved one, both under the alert's dedup key, so PagerDuty folds redeliveries into one incident.
 */
public record PagerDutyDestination(Endpoint endpoint, SecretValue routingKey) implements Destination {

    /** PagerDuty refuses a longer summary. */
    static final int MAX_SUMMARY = 1024;

    @Override
    public HttpRequest request(AlertEvent alert) {
        return endpoint.post(Requests.bytes(event(alert))).build();
    }

    ObjectNode event(AlertEvent alert) {
        ObjectNode event = Requests.object();
        event.put("routing_key", routingKey.reveal());
        event.put("dedup_key", alert.dedupKey());
        if (alert.status() == AlertStatus.RESOLVED) {
            event.put("event_action", "resolve");
            return event;
        }
        event.put("event_action", "trigger");
        event.put("client", "tlswatch");
        ObjectNode payload = event.putObject("payload");
        payload.put("summary", Requests.truncate(alert.summary(), MAX_SUMMARY));
        payload.put("source", Requests.subject(alert));
        payload.put("severity", alert.severity().name().toLowerCase(Locale.ROOT));
        payload.put("timestamp", alert.time().toString());
        payload.put("component", AlertEvent.KIND_CLIENT_COHORT.equals(alert.kind()) ? "cohort"
                : alert.clientId() != null ? "client" : alert.ja4() != null ? "fingerprint" : "tlswatch");
        payload.put("group", "tlswatch");
        payload.put("class", alert.kind());
        payload.set("custom_details", Requests.details(alert));
        if (alert.evidence().queryUrl() != null) {
            // Events API v2 "links": shown on the incident as a link to the cohort's clients.
            event.putArray("links").addObject().put("href", alert.evidence().queryUrl())
                    .put("text", "All clients of this cohort");
        }
        return event;
    }
}
