package io.tlswatch.validator.api;

import java.security.cert.X509Certificate;

/**
 * What the connection a request came over tells: who, over which TLS, with which fingerprint, the
 * client certificate of a mutual-TLS connection (null otherwise), and the proxy that relayed it with a PROXY
 * header ({@code via}; null for a direct connection, {@code remoteAddress} being then the client it named).
 */
public record ConnectionFacts(String remoteAddress, String tlsProtocol, String cipherSuite, String ja4,
                              X509Certificate clientCertificate, String via) {

    /** A direct connection. */
    public ConnectionFacts(String remoteAddress, String tlsProtocol, String cipherSuite, String ja4,
                           X509Certificate clientCertificate) {
        this(remoteAddress, tlsProtocol, cipherSuite, ja4, clientCertificate, null);
    }
}
