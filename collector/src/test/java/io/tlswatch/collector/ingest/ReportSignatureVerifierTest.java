package io.tlswatch.collector.ingest;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.tlswatch.collector.Signatures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ReportSignatureVerifierTest {

    private static final String BODY = "{\"reportId\": \"r\"}";
    private final ReportSignatureVerifier verifier = new ReportSignatureVerifier();

    private SignatureCheck check(String signature, String body) {
        return verifier.check(signature, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noSignatureIsUnsigned() {
        assertThat(check(null, BODY)).isInstanceOf(SignatureCheck.Unsigned.class);
    }

    @Test
    void es256AndEd25519SignaturesOverTheBodyVerifyAndNameTheKey() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        assertThat(check(Signatures.es256(ec, BODY), BODY))
                .isEqualTo(new SignatureCheck.Verified(ec.computeThumbprint().toString()));
        assertThat(check(Signatures.ed25519(ed, BODY), BODY))
                .isEqualTo(new SignatureCheck.Verified(ed.computeThumbprint().toString()));
    }

    @Test
    void aSignatureOverAnotherBodyIsInvalid() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        assertThat(check(Signatures.es256(ec, BODY), BODY + " ")).isInstanceOf(SignatureCheck.Invalid.class);
    }

    @Test
    void anAttachedPayloadOtherKeyTypesAndGarbageAreInvalid() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        JWSObject attached = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(ec.toPublicJWK()).build(),
                new Payload(BODY));
        attached.sign(new ECDSASigner(ec));
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        JWSObject rs256 = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).jwk(rsa.toPublicJWK()).build(),
                new Payload(BODY));
        rs256.sign(new RSASSASigner(rsa));
        JWSObject noJwk = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).build(), new Payload(BODY));
        noJwk.sign(new ECDSASigner(ec));

        assertThat(check(attached.serialize(), BODY)).isInstanceOf(SignatureCheck.Invalid.class);
        assertThat(check(rs256.serialize(true), BODY)).isInstanceOf(SignatureCheck.Invalid.class);
        assertThat(check(noJwk.serialize(true), BODY)).isInstanceOf(SignatureCheck.Invalid.class);
        assertThat(check("not a jws", BODY)).isInstanceOf(SignatureCheck.Invalid.class);
        assertThat(check("a..b", BODY)).isInstanceOf(SignatureCheck.Invalid.class);
        assertThat(check("x".repeat(5000), BODY)).isInstanceOf(SignatureCheck.Invalid.class);
    }
}
