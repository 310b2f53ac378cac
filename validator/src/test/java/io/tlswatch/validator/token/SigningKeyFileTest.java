package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWK;
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
        List<SigningKey> keys = SigningKeyFile.read(file).all();

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

    @Test
    void aFileWithoutNextReadsAsBeforeTheFirstKeySigningTheOthersRetired() {
        // given: the format before staging existed
        JWK current = SigningAlgorithm.EDDSA.generate();
        JWK previous = SigningAlgorithm.ES256.generate().toPublicJWK();
        String text = "{\"keys\":[" + current.toJSONString() + "," + previous.toJSONString() + "]}";

        // when
        KeyFileContents contents = SigningKeyFile.parse(text, "old.jwks");

        // then
        assertThat(contents.current().kid()).isEqualTo(current.getKeyID());
        assertThat(contents.next()).isEmpty();
        assertThat(contents.retired()).extracting(SigningKey::kid).containsExactly(previous.getKeyID());
    }

    @Test
    void theKeyNamedNextIsStagedAndTheRestRetired() {
        // given
        JWK current = SigningAlgorithm.EDDSA.generate();
        JWK retired = SigningAlgorithm.EDDSA.generate().toPublicJWK();
        JWK next = SigningAlgorithm.EDDSA.generate();
        String text = "{\"keys\":[" + current.toJSONString() + "," + retired.toJSONString() + ","
                + next.toJSONString() + "],\"next\":\"" + next.getKeyID() + "\"}";

        // when
        KeyFileContents contents = SigningKeyFile.parse(text, "keys.jwks");

        // then
        assertThat(contents.next()).map(SigningKey::kid).hasValue(next.getKeyID());
        assertThat(contents.retired()).extracting(SigningKey::kid).containsExactly(retired.getKeyID());
        assertThat(contents.all()).extracting(SigningKey::kid)
                .containsExactly(current.getKeyID(), next.getKeyID(), retired.getKeyID());
    }

    @Test
    void aNextThatNamesNoLaterKeyIsRefused() {
        // given: next names the signing key itself, then a kid not in the file
        JWK current = SigningAlgorithm.EDDSA.generate();
        String itself = "{\"keys\":[" + current.toJSONString() + "],\"next\":\"" + current.getKeyID() + "\"}";
        String absent = "{\"keys\":[" + current.toJSONString() + "],\"next\":\"nope\"}";
        String notAKid = "{\"keys\":[" + current.toJSONString() + "],\"next\":42}";

        // when / then
        for (String text : List.of(itself, absent)) {
            assertThatThrownBy(() -> SigningKeyFile.parse(text, "keys.jwks")).isInstanceOf(SigningKeyException.class)
                    .hasMessageContaining("is not among the keys after the first");
        }
        assertThatThrownBy(() -> SigningKeyFile.parse(notAKid, "keys.jwks")).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("must be a kid");
    }

    @Test
    void aStagedKeyWithoutPrivatePartIsRefusedAsItCouldNeverSign() {
        // given
        JWK current = SigningAlgorithm.EDDSA.generate();
        JWK next = SigningAlgorithm.EDDSA.generate().toPublicJWK();
        String text = "{\"keys\":[" + current.toJSONString() + "," + next.toJSONString() + "],\"next\":\""
                + next.getKeyID() + "\"}";

        // when / then
        assertThatThrownBy(() -> SigningKeyFile.parse(text, "keys.jwks")).isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("keys.jwks")
                .hasMessageContaining("could not sign once promoted");
    }
}
