package io.tlswatch.notifier.destination;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.notifier.config.SecretValue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Locale;

/**
 * A Slack incoming webhook: one readable message per firing and per resolution, with the evidence. Slack has no
 * deduplication, so a redelivery after a crash posts the message again (the dedup key is in it).
 */
public record SlackDestination(Endpoint endpoint, SecretValue webhookUrl) implements Destination {

    @Override
    public HttpRequest request(AlertEvent alert) {
        return endpoint.post(URI.create(webhookUrl.reveal()), Requests.bytes(message(alert))).build();
    }

    @Override
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String url = webhookUrl.reveal();
        String path = URI.create(url).getRawPath();
        String out = text.replace(url, "(webhook URL)");
        return path == null || path.length() < 2 ? out : out.replace(path, "(webhook path)");
    }

    ObjectNode message(AlertEvent alert) {
        boolean resolved = alert.status() == AlertStatus.RESOLVED;
        String severity = alert.severity().name().toLowerCase(Locale.ROOT);
        String headline = (resolved ? ":white_check_mark: Resolved" : icon(alert) + " " + severity.toUpperCase(Locale.ROOT))
                + ": " + escape(alert.summary());
        ObjectNode message = Requests.object();
        message.put("text", headline);
        ArrayNode blocks = message.putArray("blocks");
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", headline);
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        field(fields, "Kind", alert.kind());
        field(fields, "Dedup key", alert.dedupKey());
        if (alert.clientId() != null) {
            field(fields, "Client", alert.clientId());
        }
        if (alert.ja4() != null) {
            field(fields, "JA4", alert.ja4());
        }
        if (alert.posture() != null) {
            field(fields, "Posture", alert.posture().name().toLowerCase(Locale.ROOT)
                    + (alert.previousPosture() == null ? "" : " (was " + alert.previousPosture().name()
                    .toLowerCase(Locale.ROOT) + ")"));
        }
        field(fields, "Since", alert.startsAt().toString());
        String evidence = Requests.evidenceText(alert);
        if (!evidence.isEmpty()) {
            blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                    .put("text", Requests.truncate("```" + escape(evidence) + "```", 3000));
        }
        return message;
    }

    private static String icon(AlertEvent alert) {
        return switch (alert.severity()) {
            case CRITICAL -> ":rotating_light:";
            case WARNING -> ":warning:";
            case INFO -> ":information_source:";
        };
    }

    private static void field(ArrayNode fields, String label, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + label + "*\n" + escape(value));
    }

    /** Slack's mrkdwn gives &, < and > a meaning; a client-supplied string must not format or link. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
