package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * The envelope every record on a tlswatch topic carries (docs/events.md, "Envelope").
 *
 * <p>Consumers deduplicate on {@link #id()}: producers retry, so the same event may arrive more than once.
 */
public interface Event {

    /** The versioned type, {@code <name>/<major>}, e.g. {@code tlswatch.handshake/1}. */
    String type();

    /** Unique per event; a producer that retries sends the same id again. */
    String id();

    /** When it happened (not when it was sent), truncated to milliseconds. */
    Instant time();

    /** The emitting node, {@code <service>@<node>}, e.g. {@code validator@tlswatch-validator-0}. */
    String source();

    /** The Kafka record key this event is written under on its topic (docs/events.md). */
    @JsonIgnore
    String key();
}
