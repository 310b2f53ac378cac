package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWK;
import io.tlswatch.contract.event.ProofKind;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The key a token is bound to: its {@code cnf} claim. Either the RFC 7638 thumbprint of the client's DPoP key
 * ({@code cnf.jkt}, RFC 9449) or the SHA-256 thumbprint of its TLS client certificate ({@code cnf.x5t#S256},
 * RFC 8705); both are base64url without padding of a SHA-256 digest.
 */
public sealed interface Confirmation {

    /** A base64url SHA-256 digest: 43 characters. */
    Pattern SHA256_BASE64URL = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** The member name inside {@code cnf}. */
    String member();

    /** The thumbprint. */
    String value();

    /** How the client proves possession of the key. */
    ProofKind proofKind();

    /** {@code cnf.jkt}: bound to a DPoP key. */
    record JwkThumbprint(String value) implements Confirmation {
        public JwkThumbprint {
            requireDigest(value, "jkt");
        }

        @Override
        public String member() {
            return "jkt";
        }

        @Override
        public ProofKind proofKind() {
            return ProofKind.DPOP;
        }
    }

    /** {@code cnf.x5t#S256}: bound to a TLS client certificate. */
    record CertificateThumbprint(String value) implements Confirmation {
        public CertificateThumbprint {
            requireDigest(value, "x5t#S256");
        }

        @Override
        public String member() {
            return "x5t#S256";
        }

        @Override
        public ProofKind proofKind() {
            return ProofKind.MTLS;
        }
    }

    static Confirmation jkt(String thumbprint) {
        return new JwkThumbprint(thumbprint);
    }

    /** Bound to the public key {@code key} (its RFC 7638 SHA-256 thumbprint). */
    static Confirmation jwk(JWK key) {
        return new JwkThumbprint(SigningKey.thumbprint(key.toPublicJWK()));
    }

    /** Bound to a client certificate: base64url SHA-256 of its DER encoding (RFC 8705 §3.1). */
    static Confirmation certificate(X509Certificate certificate) {
        try {
            return certificateDer(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the client certificate", e);
        }
    }

    /** Bound to the client certificate whose DER encoding is {@code der}. */
    static Confirmation certificateDer(byte[] der) {
        Objects.requireNonNull(der, "der");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
            return new CertificateThumbprint(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static void requireDigest(String value, String name) {
        if (value == null || !SHA256_BASE64URL.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be a base64url SHA-256 digest (43 characters)");
        }
    }
}
