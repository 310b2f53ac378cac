package io.tlswatch.client.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Base64;

/** The {@code x5t#S256} of a certificate (RFC 8705 §3.1): base64url, unpadded, SHA-256 of its DER encoding. */
public final class CertificateThumbprint {

    private CertificateThumbprint() {
    }

    public static String of(Certificate certificate) throws CertificateEncodingException {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
