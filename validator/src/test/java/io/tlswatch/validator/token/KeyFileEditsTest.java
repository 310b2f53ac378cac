package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyFileEditsTest {

    @Test
    void aGeneratedFileHoldsOnePrivateKeyNamedByTheEdit() {
        // when
        KeyFileEdit edit = KeyFileEdits.generate(SigningAlgorithm.ES256);

        // then
        KeyFileContents contents = SigningKeyFile.parse(edit.text(), "new");
        assertThat(contents.current().kid()).isEqualTo(edit.kids().get(0));
        assertThat(contents.current().algorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(contents.next()).isEmpty();
        assertThat(contents.retired()).isEmpty();
    }

    @Test
    void stagingAddsAPrivateNextKeyOfTheSigningKeysAlgorithmAndLeavesTheSigningKeyAlone() throws Exception {
        // given
        KeyFileEdit generated = KeyFileEdits.generate(SigningAlgorithm.EDDSA);

        // when
        KeyFileEdit staged = KeyFileEdits.stage(generated.text(), Optional.empty(), "keys.jwks");

        // then
        KeyFileContents contents = SigningKeyFile.parse(staged.text(), "keys.jwks");
        assertThat(contents.current().kid()).isEqualTo(generated.kids().get(0));
        assertThat(contents.next()).hasValueSatisfying(next -> {
            assertThat(next.kid()).isEqualTo(staged.kids().get(0));
            assertThat(next.canSign()).isTrue();
            assertThat(next.algorithm()).isEqualTo(SigningAlgorithm.EDDSA);
        });
        assertThat(JWKSet.parse(staged.text()).getAdditionalMembers()).containsEntry("next", staged.kids().get(0));
    }

    @Test
    void stagingMayChooseAnotherAlgorithm() {
        // given
        String text = KeyFileEdits.generate(SigningAlgorithm.EDDSA).text();

        // when
        KeyFileEdit staged = KeyFileEdits.stage(text, Optional.of(SigningAlgorithm.ES256), "keys.jwks");

        // then
        assertThat(SigningKeyFile.parse(staged.text(), "keys.jwks").next())
                .hasValueSatisfying(next -> assertThat(next.algorithm()).isEqualTo(SigningAlgorithm.ES256));
    }

    @Test
    void stagingASecondKeyBeforeThePromotionIsRefused() {
        // given
        String staged = KeyFileEdits.stage(KeyFileEdits.generate(SigningAlgorithm.EDDSA).text(), Optional.empty(),
                "keys.jwks").text();

        // when / then
        assertThatThrownBy(() -> KeyFileEdits.stage(staged, Optional.empty(), "keys.jwks"))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("already stages key")
                .hasMessageContaining("promote it");
    }

    @Test
    void promotingMakesTheStagedKeySignAndKeepsTheOldKeyAsRetired() {
        // given
        KeyFileEdit generated = KeyFileEdits.generate(SigningAlgorithm.EDDSA);
        KeyFileEdit staged = KeyFileEdits.stage(generated.text(), Optional.empty(), "keys.jwks");

        // when
        KeyFileEdit promoted = KeyFileEdits.promote(staged.text(), "keys.jwks");

        // then
        String oldKid = generated.kids().get(0);
        String newKid = staged.kids().get(0);
        assertThat(promoted.kids()).containsExactly(newKid, oldKid);
        KeyFileContents contents = SigningKeyFile.parse(promoted.text(), "keys.jwks");
        assertThat(contents.current().kid()).isEqualTo(newKid);
        assertThat(contents.next()).isEmpty();
        assertThat(contents.retired()).extracting(SigningKey::kid).containsExactly(oldKid);
        assertThat(contents.retired().get(0).canSign()).as("the old key keeps its private part").isTrue();
    }

    @Test
    void promotingWithoutAStagedKeyIsRefused() {
        // given
        String text = KeyFileEdits.generate(SigningAlgorithm.EDDSA).text();

        // when / then
        assertThatThrownBy(() -> KeyFileEdits.promote(text, "keys.jwks"))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("stages no key");
    }

    @Test
    void droppingRetiredKeysKeepsTheSigningAndStagedKeys() {
        // given: two rotations, then a key staged: one signing, two retired, one staged
        String text = KeyFileEdits.generate(SigningAlgorithm.EDDSA).text();
        for (int i = 0; i < 2; i++) {
            text = KeyFileEdits.promote(KeyFileEdits.stage(text, Optional.empty(), "k").text(), "k").text();
        }
        text = KeyFileEdits.stage(text, Optional.empty(), "k").text();
        KeyFileContents staged = SigningKeyFile.parse(text, "k");
        assertThat(staged.retired()).hasSize(2);

        // when
        KeyFileEdit dropped = KeyFileEdits.dropRetired(text, "k");

        // then
        assertThat(dropped.kids()).containsExactlyElementsOf(staged.retired().stream().map(SigningKey::kid).toList());
        KeyFileContents after = SigningKeyFile.parse(dropped.text(), "k");
        assertThat(after.current().kid()).isEqualTo(staged.current().kid());
        assertThat(after.next()).map(SigningKey::kid).isEqualTo(staged.next().map(SigningKey::kid));
        assertThat(after.retired()).isEmpty();
    }

    @Test
    void aFileTheValidatorWouldRefuseIsNotEdited() {
        // given: the first key has no private part
        String text = "{\"keys\":[" + SigningAlgorithm.EDDSA.generate().toPublicJWK().toJSONString() + "]}";

        // when / then
        assertThatThrownBy(() -> KeyFileEdits.stage(text, Optional.empty(), "keys.jwks"))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("private part");
    }

    @Test
    void aKeyWithoutKidIsFoundByItsThumbprintWhenPromoted() throws Exception {
        // given: an older file whose key has no kid member, with a key staged after it
        JWK withoutKid = new JWKSet(SigningAlgorithm.EDDSA.generate()).getKeys().get(0);
        Map<String, Object> json = withoutKid.toJSONObject();
        json.remove("kid");
        String text = "{\"keys\":[" + JWK.parse(json).toJSONString() + "]}";
        String staged = KeyFileEdits.stage(text, Optional.empty(), "k").text();

        // when
        KeyFileEdit promoted = KeyFileEdits.promote(staged, "k");

        // then
        KeyFileContents contents = SigningKeyFile.parse(promoted.text(), "k");
        assertThat(contents.retired()).extracting(SigningKey::kid).containsExactly(SigningKey.thumbprint(withoutKid));
    }
}
