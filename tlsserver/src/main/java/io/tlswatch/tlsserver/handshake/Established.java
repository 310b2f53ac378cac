package io.tlswatch.tlsserver.handshake;

import java.security.cert.X509Certificate;

/**
 * What a connection's completed handshake settled, read from the TLS engine once, on the event loop, when the
 * handshake ends. Immutable, so handlers that run on another executor (the license API's crypto) read it
 * without touching the engine, whose session is not meant to be read from other threads.
 *
 * @param protocol          the negotiated protocol, {@code TLSv1.3}
 * @param cipherSuite       the negotiated suite
 * @param clientCertificate the client's certificate on a mutual-TLS connection, else null
 * @param ja4               the ClientHello's JA4 fingerprint, or null without a parsed hello
 */
public record Established(String protocol, String cipherSuite, X509Certificate clientCertificate, String ja4) {
}
