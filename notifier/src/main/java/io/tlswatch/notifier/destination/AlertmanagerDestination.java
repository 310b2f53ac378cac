package io.tlswatch.notifier.destination;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Severity;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Prometheus Alertmanager ({@code POST /api/v2/alerts}). Alertmanager identifies an alert by its label set, so
 * the labels hold only what stays the same between firing and resolving (alertname, dedup key, kind, severity,
 * client or fingerprint). A firing alert is sent with {@code endsAt} = now + {@code firingTtl}, because
 * Alertmanager resolves an alert without one after its {@code resolve_timeout}, and we send once, not every
 * minute as Prometheus does. A resolve sends {@code endsAt} = the alert's end.
 *
 * <p>Because severity is a label, an alert whose severity changed under one dedup key would leave the earlier
 * label set firing; every post therefore also resolves the same dedup key under the other severities.
 */
public record AlertmanagerDestination(Endpoint endpoint, Duration firingTtl) implements Destination {

    @Override
    public HttpRequest request(AlertEvent alert) {
        return endpoint.post(endpoint.resolve("/api/v2/alerts"), Requests.bytes(alerts(alert))).build();
    }

    ArrayNode alerts(AlertEvent alert) {
        ArrayNode alerts = Requests.object().arrayNode();
        boolean resolved = alert.status() == AlertStatus.RESOLVED;
        Instant endsAt = resolved ? alert.endsAt() : alert.time().plus(firingTtl);
        ObjectNode current = alerts.addObject();
        labels(current, alert, alert.severity());
        annotations(current, alert);
        current.put("startsAt", alert.startsAt().toString());
        current.put("endsAt", endsAt.toString());
        for (Severity other : Severity.values()) {
            if (other != alert.severity()) {
                ObjectNode ended = alerts.addObject();
                labels(ended, alert, other);
                ended.put("startsAt", alert.startsAt().toString());
                ended.put("endsAt", alert.time().toString());
            }
        }
        return alerts;
    }

    private static void labels(ObjectNode node, AlertEvent alert, Severity severity) {
        ObjectNode labels = node.putObject("labels");
        labels.put("alertname", alertName(alert.kind()));
        labels.put("dedup_key", alert.dedupKey());
        labels.put("kind", alert.kind());
        labels.put("severity", severity.name().toLowerCase(Locale.ROOT));
        labels.put("service", "tlswatch");
        if (alert.clientId() != null) {
            labels.put("client_id", alert.clientId());
        }
        if (alert.ja4() != null) {
            labels.put("ja4", alert.ja4());
        }
    }

    private static void annotations(ObjectNode node, AlertEvent alert) {
        ObjectNode annotations = node.putObject("annotations");
        annotations.put("summary", alert.summary());
        String evidence = Requests.evidenceText(alert);
        if (!evidence.isEmpty()) {
            annotations.put("description", evidence);
        }
        if (alert.posture() != null) {
            annotations.put("posture", alert.posture().name().toLowerCase(Locale.ROOT));
        }
        annotations.put("alert_id", alert.id());
    }

    /** {@code client_posture} becomes {@code TlswatchClientPosture}, in the style of Prometheus alert names. */
    static String alertName(String kind) {
        StringBuilder name = new StringBuilder("Tlswatch");
        for (String part : kind.split("_")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }
}
