package io.tlswatch.collector.ingest;

import io.tlswatch.common.event.Arrival;

import java.time.Instant;

/**
 * What the collector knows about a request apart from its body: when it arrived, from where, over which
 * connection, and whether a valid signature came with it.
 *
 * @param signerJkt the RFC 7638 thumbprint of the key whose signature over the body verified; {@code null}
 *                  when the request was not signed
 */
public record Received(Instant receivedAt, String remoteAddress, Arrival arrival, String signerJkt) {

    public boolean authenticated() {
        return signerJkt != null;
    }
}
