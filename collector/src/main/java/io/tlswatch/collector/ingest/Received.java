package io.tlswatch.collector.ingest;

import io.tlswatch.common.event.Arrival;

import java.time.Instant;

/**
 * What the collector knows about a request apart from its body: when it arrived, from where, over which
 * connection, and whether a valid signature came with it.
 */
public record Received(Instant receivedAt, String remoteAddress, Arrival arrival, boolean authenticated) {
}
