package io.tlswatch.tlsserver.handshake;

import java.util.Locale;

/**
 * Why the server closed an established TLS connection at once instead of leaving it to the idle timeout; the
 * {@code reason} tag of {@code tlswatch.tls.closes}.
 */
public enum TlsCloseReason {
    /** The client sent close_notify; the engine answered with its own and the connection was closed. */
    CLOSE_NOTIFY,
    /**
     * The TLS engine failed a record after the handshake (a corrupted record: {@code bad_record_mac}; a record
     * type it refuses, such as heartbeat: {@code unexpected_message}; a fatal alert from the client) and sent
     * its fatal alert.
     */
    FATAL_ALERT,
    /** The ClientHello pre-parser refused what arrived before the hello was complete and sent its own alert. */
    CLIENT_HELLO_ALERT;

    /** The tag value, {@code close_notify}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
