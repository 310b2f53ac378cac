package io.tlswatch.collector.ingest;

import io.tlswatch.contract.event.Arrival;

import java.time.Instant;

/**
 * What the collector knows about a request apart from its body: when it arrived, from where, over which
 * connection, and whether a valid signature came with it.
 *
 * @param signerJkt the RFC 7638 thumbprint of the key whose signature over the body verified; {@code null}
 *                  when the request was not signed
 * @param via       the proxy that relayed the connection with a PROXY header ({@code remoteAddress} is then the
 *                  client it named); {@code null} for a direct connection
 */
public record Received(Instant receivedAt, String remoteAddress, Arrival arrival, String signerJkt, String via) {

    /** A request over a direct connection. */
    public Received(Instant receivedAt, String remoteAddress, Arrival arrival, String signerJkt) {
        this(receivedAt, remoteAddress, arrival, signerJkt, null);
    }

    public boolean authenticated() {
        return signerJkt != null;
    }
}
