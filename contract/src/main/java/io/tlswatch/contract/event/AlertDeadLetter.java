package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * An alert the notifier could not deliver to one target, on topic {@code tlswatch.alerts.dlq.v1} keyed by
 * the alert's dedup key, with every attempt's outcome; or a record of the alerts topic it could not read.
 *
 * @param dedupKey   the alert's dedup key; for an unreadable record, its Kafka key (or {@code unreadable})
 * @param reason     why it was given up
 * @param target     the configured name of the target that did not take it; absent when unreadable
 * @param targetKind the target's kind ({@code pagerduty}, {@code opsgenie}, {@code slack},
 *                   {@code alertmanager}, {@code webhook}); absent when unreadable
 * @param alert      the alert as it was read; absent when unreadable
 * @param rawValue   the record's value as UTF-8 text, when it could not be read as an alert
 * @param problem    why it could not be read, when unreadable
 * @param attempts   every delivery attempt in order; empty when unreadable
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AlertDeadLetter(
        String type,
        String id,
        java.time.Instant time,
        String source,
        String dedupKey,
        DeadLetterReason reason,
        String target,
        String targetKind,
        AlertEvent alert,
        String rawValue,
        String problem,
        List<DeliveryAttempt> attempts) implements Event {

    public static final String TYPE = "tlswatch.alert-dead-letter/1";

    public AlertDeadLetter {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("dedupKey", dedupKey);
        Fields.required("reason", reason);
        Fields.optionalText("target", target);
        Fields.optionalText("targetKind", targetKind);
        Fields.optionalText("problem", problem);
        attempts = Fields.list("attempts", attempts);
        if (reason == DeadLetterReason.UNREADABLE) {
            if (alert != null) {
                throw new IllegalArgumentException("field 'alert' must be absent when the reason is unreadable");
            }
        } else {
            Fields.required("alert", alert);
            Fields.required("target", target);
            if (attempts.isEmpty()) {
                throw new IllegalArgumentException("field 'attempts' must not be empty for an undelivered alert");
            }
        }
    }

    @Override
    public String key() {
        return dedupKey;
    }

    /** An alert one target did not take. */
    public static AlertDeadLetter undelivered(String id, java.time.Instant time, String source, AlertEvent alert,
                                              DeadLetterReason reason, String target, String targetKind,
                                              List<DeliveryAttempt> attempts) {
        return new AlertDeadLetter(TYPE, id, time, source, alert.dedupKey(), reason, target, targetKind, alert, null,
                null, attempts);
    }

    /** A record of the alerts topic that was not a readable alert. */
    public static AlertDeadLetter unreadable(String id, java.time.Instant time, String source, String key,
                                             String rawValue, String problem) {
        return new AlertDeadLetter(TYPE, id, time, source, key == null || key.isBlank() ? "unreadable" : key,
                DeadLetterReason.UNREADABLE, null, null, null, rawValue, problem, List.of());
    }
}
