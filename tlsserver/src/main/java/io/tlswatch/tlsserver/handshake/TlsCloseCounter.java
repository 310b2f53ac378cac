package io.tlswatch.tlsserver.handshake;

/** Counts connections closed at once after an alert or close_notify ({@code tlswatch.tls.closes}). */
@FunctionalInterface
public interface TlsCloseCounter {

    void closed(TlsCloseReason reason);
}
