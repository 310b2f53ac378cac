package io.tlswatch.validator.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyTest {

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void toStringNamesTheKeyWithoutItsPrivatePart(SigningAlgorithm algorithm) {
        // given
        JWK jwk = algorithm.generate();
        SigningKey key = SigningKey.of(jwk);
        String d = jwk.toJSONObject().get("d").toString();

        // when
        String text = key.toString();

        // then
        assertThat(text).isEqualTo("SigningKey[kid=" + jwk.getKeyID() + ", alg=" + algorithm.jws() + ", private]");
        assertThat(text).doesNotContain(d);
        assertThat(key.publicJwk().toJSONString()).doesNotContain(d);
    }

    @Test
    void aKeyWithoutKidIsNamedByItsThumbprint() throws Exception {
        // given
        OctetKeyPair jwk = new OctetKeyPairGenerator(Curve.Ed25519).generate();

        // when
        SigningKey key = SigningKey.of(jwk);

        // then
        assertThat(key.kid()).isEqualTo(jwk.computeThumbprint().toString());
        assertThat(key.publicJwk().getKeyID()).isEqualTo(key.kid());
    }

    @Test
    void aPublicKeyVerifiesButCannotSign() {
        // given
        SigningKey key = SigningKey.of(SigningAlgorithm.ES256.generate().toPublicJWK());

        // when / then
        assertThat(key.canSign()).isFalse();
        assertThatThrownBy(key::signer).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void otherKeyKindsAreRefused() throws Exception {
        // given
        ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
        OctetKeyPair x25519 = new OctetKeyPairGenerator(Curve.X25519).generate();

        // when / then
        assertThatThrownBy(() -> SigningKey.of(p384)).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("crv P-384");
        assertThatThrownBy(() -> SigningKey.of(x25519)).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("crv X25519");
        assertThatThrownBy(() -> SigningKey.of(DpopProof.rsa(2048))).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("kty RSA");
    }

    @Test
    void anAlgOrUseThatDoesNotFitIsRefused() throws Exception {
        // given
        ECKey wrongAlg = new ECKeyGenerator(Curve.P_256).algorithm(JWSAlgorithm.ES384).generate();
        ECKey encryption = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.ENCRYPTION).generate();

        // when / then
        assertThatThrownBy(() -> SigningKey.of(wrongAlg)).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("ES384");
        assertThatThrownBy(() -> SigningKey.of(encryption)).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("use must be sig");
    }

    @Test
    void aKidOutsideTheKeyIdFormatIsRefused() throws Exception {
        // given
        OctetKeyPair jwk = new OctetKeyPairGenerator(Curve.Ed25519).keyID("../current").generate();

        // when / then
        assertThatThrownBy(() -> SigningKey.of(jwk)).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("base64url");
    }
}
