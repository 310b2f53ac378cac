package io.tlswatch.streams.event;

import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.Event;

import java.time.Instant;

/**
 * The time the job windows an input event by (docs/streams.md, "Time"): a client report's {@code receivedAt},
 * stamped by the collector when it accepted the report; every other event's {@code time}. A report's own
 * {@code occurredAt} is the client's word and clock: a spool delivered after an outage, or a clock running
 * behind, would otherwise make an acknowledged report too late to count.
 */
public final class WindowTime {

    private WindowTime() {
    }

    public static Instant of(Event event) {
        return event instanceof ClientReportEvent report ? report.receivedAt() : event.time();
    }
}
