package io.tlswatch.validator.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;

import java.util.Locale;
import java.util.Optional;

/**
 * The algorithms the validator signs entitlement tokens with. Ed25519 (JWS {@code EdDSA}) is the default:
 * deterministic signatures, no nonce to get wrong, small keys. ES256 (P-256) is the option for clients whose
 * JOSE library has no EdDSA.
 */
public enum SigningAlgorithm {
    /** Ed25519 through Nimbus and Tink, written as {@code "alg": "EdDSA"}. */
    EDDSA(JWSAlgorithm.EdDSA),
    /** ECDSA on P-256 with SHA-256. */
    ES256(JWSAlgorithm.ES256);

    private final JWSAlgorithm jws;

    SigningAlgorithm(JWSAlgorithm jws) {
        this.jws = jws;
    }

    /** The JWS {@code alg} value. */
    public JWSAlgorithm jws() {
        return jws;
    }

    /** The algorithm named by a JWS {@code alg} value, exactly as written (alg values are case-sensitive). */
    public static Optional<SigningAlgorithm> fromJws(String alg) {
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.jws.getName().equals(alg)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** Parses a configuration value: {@code EdDSA} or {@code ES256}, in any case. */
    public static SigningAlgorithm parse(String value) {
        String wanted = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (SigningAlgorithm algorithm : values()) {
            if (algorithm.jws.getName().toUpperCase(Locale.ROOT).equals(wanted)) {
                return algorithm;
            }
        }
        throw new IllegalArgumentException("signing algorithm must be EdDSA or ES256, got '" + value + "'");
    }

    /** The algorithm a key is for, from its type and curve; empty for every other kind of key. */
    public static Optional<SigningAlgorithm> forKey(JWK key) {
        if (key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            return Optional.of(EDDSA);
        }
        if (key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return Optional.of(ES256);
        }
        return Optional.empty();
    }

    /** A new private key for this algorithm, its {@code kid} the RFC 7638 thumbprint. */
    JWK generate() {
        try {
            return switch (this) {
                case EDDSA -> new OctetKeyPairGenerator(Curve.Ed25519)
                        .keyUse(KeyUse.SIGNATURE).algorithm(jws).keyIDFromThumbprint(true).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256)
                        .keyUse(KeyUse.SIGNATURE).algorithm(jws).keyIDFromThumbprint(true).generate();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a " + jws + " key: " + e.getMessage(), e);
        }
    }
}
