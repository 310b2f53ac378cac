package io.tlswatch.validator.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import java.text.ParseException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One signing key: its {@code kid}, algorithm, public JWK, and (for a key this server signs with) the private
 * half behind a signer. The signer and verifier are built once; Nimbus's are thread-safe.
 *
 * <p>{@link #toString()} names the key only: a private JWK's own {@code toString} prints the private key.
 */
public final class SigningKey {

    /**
     * What a {@code kid} may look like: base64url characters, as an RFC 7638 thumbprint is. Anything else
     * (path separators, quotes, control characters) is refused before it is used as a lookup key.
     */
    static final Pattern KID_FORMAT = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final String kid;
    private final SigningAlgorithm algorithm;
    private final JWK publicJwk;
    private final JWSSigner signer;
    private final JWSVerifier verifier;

    private SigningKey(String kid, SigningAlgorithm algorithm, JWK jwk) {
        this.kid = kid;
        this.algorithm = algorithm;
        this.publicJwk = published(kid, algorithm, jwk.toPublicJWK());
        try {
            this.verifier = switch (algorithm) {
                case EDDSA -> new Ed25519Verifier((OctetKeyPair) publicJwk);
                case ES256 -> new ECDSAVerifier((ECKey) publicJwk);
            };
            this.signer = !jwk.isPrivate() ? null : switch (algorithm) {
                case EDDSA -> new Ed25519Signer((OctetKeyPair) jwk);
                case ES256 -> new ECDSASigner((ECKey) jwk);
            };
        } catch (JOSEException e) {
            throw new SigningKeyException("key " + kid + " is not a usable " + algorithm.jws() + " key: "
                    + e.getMessage(), e);
        }
    }

    /** A fresh private key for {@code algorithm}; it lives in memory only. */
    public static SigningKey generate(SigningAlgorithm algorithm) {
        return of(algorithm.generate());
    }

    /**
     * A key from a JWK: Ed25519 ({@code OKP}) or P-256 ({@code EC}), private to sign with or public to verify
     * only. The {@code kid} is the JWK's own, else its RFC 7638 thumbprint; an {@code alg} member, if present,
     * must agree with the key type, and a {@code use} member, if present, must be {@code sig}.
     *
     * @throws SigningKeyException when the JWK is of any other kind
     */
    public static SigningKey of(JWK jwk) {
        Objects.requireNonNull(jwk, "jwk");
        SigningAlgorithm algorithm = SigningAlgorithm.forKey(jwk).orElseThrow(() -> new SigningKeyException(
                "signing keys must be Ed25519 (kty OKP, crv Ed25519) or P-256 (kty EC, crv P-256), got kty "
                        + jwk.getKeyType() + describeCurve(jwk)));
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(algorithm.jws().getName())) {
            throw new SigningKeyException("key alg " + jwk.getAlgorithm() + " does not fit its key type, expected "
                    + algorithm.jws());
        }
        if (jwk.getKeyUse() != null && !"sig".equals(jwk.getKeyUse().identifier())) {
            throw new SigningKeyException("key use must be sig, got " + jwk.getKeyUse().identifier());
        }
        String kid = jwk.getKeyID() != null ? jwk.getKeyID() : thumbprint(jwk);
        if (!KID_FORMAT.matcher(kid).matches()) {
            throw new SigningKeyException("kid must be 1 to 128 base64url characters");
        }
        return new SigningKey(kid, algorithm, jwk);
    }

    public String kid() {
        return kid;
    }

    public SigningAlgorithm algorithm() {
        return algorithm;
    }

    /** The public half, with {@code kid}, {@code alg} and {@code use: sig} set, as published in the JWKS. */
    public JWK publicJwk() {
        return publicJwk;
    }

    private static JWK published(String kid, SigningAlgorithm algorithm, JWK publicKey) {
        Map<String, Object> json = publicKey.toJSONObject();
        json.put("kid", kid);
        json.put("alg", algorithm.jws().getName());
        json.put("use", "sig");
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new SigningKeyException("cannot rebuild the public JWK of key " + kid, e);
        }
    }

    /** Whether this server holds the private half, so that it can sign with this key. */
    public boolean canSign() {
        return signer != null;
    }

    JWSSigner signer() {
        if (signer == null) {
            throw new IllegalStateException("key " + kid + " is a verification-only key");
        }
        return signer;
    }

    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        return verifier.verify(header, signingInput, signature);
    }

    static String thumbprint(JWK jwk) {
        try {
            return jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new SigningKeyException("cannot compute the thumbprint of a " + jwk.getKeyType() + " key", e);
        }
    }

    private static String describeCurve(JWK jwk) {
        if (jwk instanceof OctetKeyPair okp) {
            return " crv " + okp.getCurve();
        }
        if (jwk instanceof ECKey ec) {
            return " crv " + ec.getCurve();
        }
        return "";
    }

    @Override
    public String toString() {
        return "SigningKey[kid=" + kid + ", alg=" + algorithm.jws() + (canSign() ? ", private" : ", public") + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SigningKey that && kid.equals(that.kid) && publicJwk.equals(that.publicJwk);
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }
}
