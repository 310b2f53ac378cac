package io.tlswatch.validator.handshake;

import io.tlswatch.common.tls.ParseResult;

import java.time.Instant;

/**
 * What one connection's handshake has shown so far. Created per connection by the initializer and shared by
 * the handlers in front of and behind the TLS engine; touched only on that connection's event loop.
 */
public final class HandshakeObservation {

    private final Instant started;
    private final long startedNanos;
    private ParseResult hello;

    public HandshakeObservation(Instant started, long startedNanos) {
        this.started = started;
        this.startedNanos = startedNanos;
    }

    public Instant started() {
        return started;
    }

    public long startedNanos() {
        return startedNanos;
    }

    /** The parsed ClientHello, or null when none arrived (the client sent nothing, or not TLS). */
    public ParseResult hello() {
        return hello;
    }

    void hello(ParseResult result) {
        this.hello = result;
    }
}
