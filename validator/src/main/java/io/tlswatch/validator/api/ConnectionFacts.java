package io.tlswatch.validator.api;

import java.security.cert.X509Certificate;

/**
 * What the connection a request came over tells: who, over which TLS, with which fingerprint, and the
 * client certificate of a mutual-TLS connection (null otherwise).
 */
public record ConnectionFacts(String remoteAddress, String tlsProtocol, String cipherSuite, String ja4,
                              X509Certificate clientCertificate) {
}
