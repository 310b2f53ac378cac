package io.tlswatch.tlsserver.handshake;

import javax.net.ssl.SSLHandshakeException;

/**
 * The ClientHello pre-parser refused what arrived before the hello was complete and sent the alert it names; the
 * failure of the handshake it ended, as the handshake event reports it ({@code failureMessage}).
 */
public final class ClientHelloRefusedException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    public ClientHelloRefusedException(String message) {
        super(message);
    }
}
