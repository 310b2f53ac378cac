package io.tlswatch.collector;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;

import java.nio.charset.StandardCharsets;

/** The {@code Report-Signature} a client SDK computes: a detached compact JWS over the body with its PoP key. */
public final class Signatures {

    private Signatures() {
    }

    public static String es256(ECKey key, String body) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(key.toPublicJWK()).build(),
                new Payload(body.getBytes(StandardCharsets.UTF_8)));
        jws.sign(new ECDSASigner(key));
        return jws.serialize(true);
    }

    public static String ed25519(OctetKeyPair key, String body) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.EdDSA).jwk(key.toPublicJWK()).build(),
                new Payload(body.getBytes(StandardCharsets.UTF_8)));
        jws.sign(new Ed25519Signer(key));
        return jws.serialize(true);
    }
}
