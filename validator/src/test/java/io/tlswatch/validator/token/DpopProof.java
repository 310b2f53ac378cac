package io.tlswatch.validator.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Builds DPoP proofs the way a client would, with every part open to a test's edits. */
final class DpopProof {

    static final String METHOD = "POST";
    static final String URI = "https://license.tlswatch.test/v1/licenses/validate";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JWK key;
    private final JWSAlgorithm alg;
    private final ObjectNode header = MAPPER.createObjectNode();
    private final ObjectNode claims = MAPPER.createObjectNode();
    private JWSSigner signer;

    private DpopProof(JWK key, JWSAlgorithm alg, Instant iat, String jti) {
        this.key = key;
        this.alg = alg;
        this.signer = signerFor(key);
        header.put("typ", "dpop+jwt");
        header.put("alg", alg.getName());
        header.set("jwk", MAPPER.valueToTree(key.toPublicJWK().toJSONObject()));
        claims.put("jti", jti);
        claims.put("htm", METHOD);
        claims.put("htu", URI);
        claims.put("iat", iat.getEpochSecond());
    }

    /** A proof for {@link #METHOD} {@link #URI} at {@code iat}, signed by {@code key}. */
    static DpopProof by(JWK key, JWSAlgorithm alg, Instant iat, String jti) {
        return new DpopProof(key, alg, iat, jti);
    }

    static OctetKeyPair ed25519() {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey p256() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey rsa(int bits) {
        try {
            return new RSAKeyGenerator(bits, true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static JWSSigner signerFor(JWK key) {
        try {
            if (key instanceof OctetKeyPair okp) {
                return new Ed25519Signer(okp);
            }
            if (key instanceof ECKey ec) {
                return new ECDSASigner(ec);
            }
            // Weak keys allowed: a test must be able to sign with a 1024-bit key to show it is refused.
            return new RSASSASigner((RSAKey) key, Set.of(AllowWeakRSAKey.getInstance()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    DpopProof header(Consumer<ObjectNode> edit) {
        edit.accept(header);
        return this;
    }

    DpopProof claims(Consumer<ObjectNode> edit) {
        edit.accept(claims);
        return this;
    }

    DpopProof claim(String name, String value) {
        claims.put(name, value);
        return this;
    }

    /** Puts {@code jwk} (as its JSON members, private parts included if it has them) in the header. */
    DpopProof headerJwk(Map<String, Object> jwk) {
        header.set("jwk", MAPPER.valueToTree(jwk));
        return this;
    }

    /** Signs with another key than the one in the header. */
    DpopProof signedBy(JWK other) {
        this.signer = signerFor(other);
        return this;
    }

    String compact() {
        return Jose.sign(header.toString(), claims.toString(), alg, signer);
    }

    String headerJson() {
        return header.toString();
    }

    String claimsJson() {
        return claims.toString();
    }

    JWK key() {
        return key;
    }
}
