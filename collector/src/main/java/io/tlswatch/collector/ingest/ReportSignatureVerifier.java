package io.tlswatch.collector.ingest;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import io.tlswatch.tlsserver.crypto.EcdsaProvider;

import java.security.Provider;
import java.text.ParseException;
import java.util.Set;

/**
 * Verifies the {@code Report-Signature} header: a compact JWS with a detached payload (RFC 7515 appendix F,
 * {@code <header>..<signature>}) whose payload is the exact request body, signed by the client's
 * proof-of-possession key (the key of its DPoP proofs) and carrying that public key in its {@code jwk}
 * header, with {@code ES256} (P-256) or {@code EdDSA} (Ed25519), as DPoP proofs do. Keys named elsewhere
 * ({@code jku}, {@code x5u}, {@code x5c}) and critical extensions are refused. No input makes it throw.
 * Thread-safe.
 */
public final class ReportSignatureVerifier {

    public static final String HEADER = "Report-Signature";
    private static final int MAX_LENGTH = 4096;
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "x5c", "crit");

    /** Read here so that the provider is built with the verifier at start-up, not on the first report. */
    private final Provider ecdsaProvider = EcdsaProvider.VERIFYING;

    /** @param signature the header's value, or null when there was none */
    public SignatureCheck check(String signature, byte[] body) {
        if (signature == null) {
            return new SignatureCheck.Unsigned();
        }
        try {
            return verify(signature.trim(), body);
        } catch (RuntimeException e) {
            return new SignatureCheck.Invalid("the signature cannot be processed");
        }
    }

    private SignatureCheck verify(String signature, byte[] body) {
        if (signature.length() > MAX_LENGTH) {
            return new SignatureCheck.Invalid("the signature is longer than " + MAX_LENGTH + " characters");
        }
        String[] parts = signature.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            return new SignatureCheck.Invalid("the signature must be a compact JWS with a detached payload "
                    + "(header..signature) over the request body");
        }
        JWSObject jws;
        try {
            jws = JWSObject.parse(signature, new Payload(body));
        } catch (ParseException e) {
            return new SignatureCheck.Invalid("the signature is not a compact JWS: " + e.getMessage());
        }
        JWSHeader header = jws.getHeader();
        for (String forbidden : FORBIDDEN_HEADERS) {
            if (header.getIncludedParams().contains(forbidden)) {
                return new SignatureCheck.Invalid("header parameter " + forbidden
                        + " is not accepted; the key is the jwk header");
            }
        }
        JWK jwk = header.getJWK();
        if (jwk == null) {
            return new SignatureCheck.Invalid("the signature has no jwk header");
        }
        if (jwk.isPrivate()) {
            return new SignatureCheck.Invalid("the jwk header holds a private key; it must be the public key only");
        }
        JWSVerifier verifier;
        try {
            if (JWSAlgorithm.ES256.equals(header.getAlgorithm()) && jwk instanceof ECKey ec
                    && Curve.P_256.equals(ec.getCurve())) {
                ECDSAVerifier ecdsa = new ECDSAVerifier(ec);
                ecdsa.getJCAContext().setProvider(ecdsaProvider);
                verifier = ecdsa;
            } else if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && jwk instanceof OctetKeyPair okp
                    && Curve.Ed25519.equals(okp.getCurve())) {
                verifier = new Ed25519Verifier(okp);
            } else {
                return new SignatureCheck.Invalid("alg must be ES256 with a P-256 key or EdDSA with an Ed25519 key, "
                        + "was " + header.getAlgorithm() + " with a " + jwk.getKeyType() + " key");
            }
            if (!jws.verify(verifier)) {
                return new SignatureCheck.Invalid("the signature does not verify over the body with the jwk header");
            }
            return new SignatureCheck.Verified(jwk.computeThumbprint().toString());
        } catch (JOSEException e) {
            return new SignatureCheck.Invalid("the signature cannot be verified: " + e.getMessage());
        }
    }
}
