package io.tlswatch.tlsserver.tls;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Where the development certificates are, and what {@link DevCertificates#ensure()} did.
 *
 * @param caCertificate     the development CA, for clients to trust
 * @param serverCertificate the server certificate (PEM)
 * @param serverKey         its private key (PKCS#8 PEM, owner-only)
 * @param notAfter          when the server certificate expires
 */
public record DevCertificateFiles(
        Path directory,
        Path caCertificate,
        Path serverCertificate,
        Path serverKey,
        Instant notAfter,
        Status status) {

    /** What {@code ensure()} did. */
    public enum Status {
        /** A new CA and server certificate. */
        GENERATED,
        /** A new server certificate under the existing CA. */
        RENEWED,
        /** The existing files, still valid. */
        REUSED
    }

    /** The server certificate and key as a certificate source for {@link TlsSettings#withCertificate}. */
    public CertificateSource certificateSource() {
        return new CertificateSource.PemFiles(serverCertificate, serverKey);
    }

    /** The start-up warning to log. */
    public String warning() {
        return "no certificate configured: using a development CA at " + directory + " (trust " + caCertificate
                + " in clients); server certificate valid until " + notAfter;
    }
}
