package io.tlswatch.tlsserver.handshake;

import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.tlsserver.clienthello.ClientHelloSummaries;
import io.tlswatch.tlsserver.clienthello.ParseResult;
import io.tlswatch.tlsserver.classify.ClientAlertScanner;
import io.tlswatch.tlsserver.classify.OpeningBytes;

import java.time.Instant;

/**
 * What one connection's handshake has shown so far. Created per connection by the initializer and shared by
 * the handlers in front of and behind the TLS engine; touched only on that connection's event loop.
 */
public final class HandshakeObservation {

    private final Instant started;
    private final long startedNanos;
    private final ClientAlertScanner alerts = new ClientAlertScanner();
    private ParseResult hello;
    private ClientHelloSummary summary;
    private OpeningBytes firstBytes = OpeningBytes.NONE;
    private boolean peerClosed;
    private int helloTooLarge;
    private int serverAlert = -1;
    private volatile Established established;

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
        this.summary = null;
    }

    /**
     * The hello named and fingerprinted for events, computed once per connection however many readers need it
     * (the handshake event, the failure classifier, the license API's JA4); null without a parsed hello. A hello
     * cut short by a malformed extension gives a summary marked partial, without fingerprints.
     */
    public ClientHelloSummary summary() {
        if (summary == null && hello != null) {
            summary = hello.hello().map(ClientHelloSummaries::of)
                    .or(() -> hello.partialHello().map(ClientHelloSummaries::of))
                    .orElse(null);
        }
        return summary;
    }

    /** Whether the first bytes looked like TLS at all. */
    public OpeningBytes firstBytes() {
        return firstBytes;
    }

    void firstBytes(OpeningBytes value) {
        this.firstBytes = value;
    }

    /** Alerts the client sent in the clear during the handshake (a TLS 1.3 client refusing our certificate). */
    public ClientAlertScanner alerts() {
        return alerts;
    }

    /**
     * The length a ClientHello announced when it was too large to buffer and went to the engine unread; 0 when
     * no hello was.
     */
    public int helloTooLarge() {
        return helloTooLarge;
    }

    void helloTooLarge(int declared) {
        this.helloTooLarge = declared;
    }

    /** The description code of the alert the server sent in the clear during the handshake; -1 for none. */
    public int serverAlert() {
        return serverAlert;
    }

    void serverAlert(int description) {
        this.serverAlert = description;
    }

    /** Whether the client closed the connection before the handshake ended. */
    public boolean peerClosed() {
        return peerClosed;
    }

    void peerClosed(boolean value) {
        this.peerClosed = value;
    }

    /**
     * What the handshake settled, once it succeeded; null before that and after a failure. Safe to read from
     * any thread.
     */
    public Established established() {
        return established;
    }

    void established(Established value) {
        this.established = value;
    }
}
