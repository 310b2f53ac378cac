package io.tlswatch.collector.ingest;

import io.tlswatch.contract.event.ClientReportEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Decides whether a report's own time can be believed. An implausible report is kept (a client whose clock is
 * wrong is exactly what the pipeline wants to hear about) but flagged, and its event time is the receipt time.
 *
 * @param futureSkew how far ahead of the collector's clock {@code occurredAt} may be
 * @param maxAge     how far back {@code occurredAt} may be
 */
public record Plausibility(Duration futureSkew, Duration maxAge) {

    public static final Plausibility DEFAULTS = new Plausibility(Duration.ofMinutes(5), Duration.ofDays(30));

    /** The flags for a report that says it happened at {@code occurredAt} and arrived at {@code receivedAt}. */
    public Set<String> flags(Instant occurredAt, Instant receivedAt) {
        if (occurredAt.isAfter(receivedAt.plus(futureSkew))) {
            return Set.of(ClientReportEvent.FLAG_TIME_IN_FUTURE);
        }
        if (occurredAt.isBefore(receivedAt.minus(maxAge))) {
            return Set.of(ClientReportEvent.FLAG_TOO_OLD);
        }
        return Set.of();
    }

    /** The event time: {@code occurredAt} when plausible, else {@code receivedAt}. */
    public Instant eventTime(Instant occurredAt, Instant receivedAt) {
        return flags(occurredAt, receivedAt).isEmpty() ? occurredAt : receivedAt;
    }
}
