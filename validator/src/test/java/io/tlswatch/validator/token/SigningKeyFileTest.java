package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeyFileTest {

    @Test
    void aNewKeyFileHoldsOnePrivateKeyThatLoads(@TempDir Path dir) throws Exception {
        // given
        String text = SigningKeyFile.newKeyFile(SigningAlgorithm.EDDSA);
        Path file = dir.resolve("keys.jwks");
        Files.writeString(file, text, StandardCharsets.UTF_8);

        // when
        List<SigningKey> keys = SigningKeyFile.read(file);

        // then
        assertThat(JWKSet.parse(text).getKeys()).singleElement().satisfies(k -> assertThat(k.isPrivate()).isTrue());
        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.canSign()).isTrue();
            assertThat(k.algorithm()).isEqualTo(SigningAlgorithm.EDDSA);
        });
    }

    @Test
    void aFirstKeyWithoutPrivatePartIsRefused() {
        // given
        String text = "{\"keys\":[" + SigningAlgorithm.ES256.generate().toPublicJWK().toJSONString() + "]}";

        // when / then
        assertThatThrownBy(() -> SigningKeyFile.parse(text, "test.jwks"))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("test.jwks")
                .hasMessageContaining("must hold its private part");
    }

    @Test
    void anUnusableKeyIsNamedByItsPosition() {
        // given
        String text = "{\"keys\":[" + SigningAlgorithm.EDDSA.generate().toJSONString() + ","
                + DpopProof.rsa(2048).toJSONString() + "]}";

        // when / then
        assertThatThrownBy(() -> SigningKeyFile.parse(text, "test.jwks"))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageStartingWith("signing key file test.jwks, key 1: ");
    }

    @Test
    void textThatIsNotAJwkSetIsRefused() {
        assertThatThrownBy(() -> SigningKeyFile.parse("{\"keys\":", "a")).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("is not a JWK Set");
        assertThatThrownBy(() -> SigningKeyFile.parse("{\"keys\":[]}", "b")).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("holds no keys");
    }

    @Test
    void aMissingOrHugeFileIsRefused(@TempDir Path dir) throws Exception {
        // given
        Path huge = dir.resolve("huge.jwks");
        Files.write(huge, new byte[(int) SigningKeyFile.MAX_FILE_BYTES + 1]);

        // when / then
        assertThatThrownBy(() -> SigningKeyFile.read(dir.resolve("absent.jwks")))
                .isInstanceOf(SigningKeyException.class).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> SigningKeyFile.read(huge))
                .isInstanceOf(SigningKeyException.class).hasMessageContaining("larger than");
    }
}
