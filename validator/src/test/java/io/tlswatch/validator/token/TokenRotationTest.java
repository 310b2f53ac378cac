package io.tlswatch.validator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.validator.token.TokenVerification.Rejected;
import io.tlswatch.validator.token.TokenVerification.Verified;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rotation: a token signed before rotate() verifies until it expires, then its key leaves the JWKS. */
class TokenRotationTest {

    private final TokenFixture f = new TokenFixture(SigningAlgorithm.EDDSA);

    @Test
    void aTokenSignedBeforeRotationVerifiesUntilItExpiresAndItsKeyIsDroppedAfterwards() throws Exception {
        // given: a token signed with the first key, five minutes before a rotation
        String oldKid = f.keys.current().kid();
        IssuedToken before = f.issue();
        f.clock.advance(Duration.ofMinutes(5));

        // when: the ring rotates
        String newKid = f.keys.rotate().kid();
        IssuedToken after = f.issue();

        // then: new tokens use the new key, the old token still verifies, the JWKS publishes both keys
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(after.kid()).isEqualTo(newKid);
        assertThat(f.verifier.verify(before.token())).isInstanceOf(Verified.class);
        assertThat(jwksKids()).containsExactly(newKid, oldKid);

        // when: the old token reaches its exp, but is still within the leeway
        f.clock.set(before.expiresAt().plusSeconds(59));

        // then: it still verifies
        assertThat(f.verifier.verify(before.token())).isInstanceOf(Verified.class);

        // when: it is past exp + leeway
        f.clock.set(before.expiresAt().plusSeconds(60));

        // then: it is expired, but the old key is still published: a token it signed at the moment of rotation
        // is still within its lifetime
        assertThat(((Rejected) f.verifier.verify(before.token())).reason()).isEqualTo(TokenRejection.EXPIRED);
        assertThat(jwksKids()).containsExactly(newKid, oldKid);

        // when: rotation + lifetime + leeway has passed, when every token the old key signed has expired
        f.clock.set(after.issuedAt().plus(f.settings.keyRetention()));

        // then: the old key is gone from the JWKS and from verification
        assertThat(jwksKids()).containsExactly(newKid);
        assertThat(f.keys.find(oldKid)).isEmpty();
        assertThat(((Rejected) f.verifier.verify(before.token())).reason()).isEqualTo(TokenRejection.UNKNOWN_KID);
    }

    @Test
    void aTokenSignedAtTheMomentOfRotationVerifiesUntilTheEndOfItsLeeway() {
        // given: the last token the old key signs, signed at the instant of rotation
        IssuedToken last = f.issue();
        f.keys.rotate();

        // when: just before exp + leeway
        f.clock.set(last.expiresAt().plus(f.settings.leeway()).minusMillis(1));

        // then: the old key is still there for it
        assertThat(f.verifier.verify(last.token())).isInstanceOf(Verified.class);
    }

    @Test
    void rotatingTwiceKeepsEveryKeyAnUnexpiredTokenNeeds() {
        // given: tokens under three successive keys, rotations two minutes apart
        List<IssuedToken> tokens = new ArrayList<>();
        tokens.add(f.issue());
        f.clock.advance(Duration.ofMinutes(2));
        f.keys.rotate();
        tokens.add(f.issue());
        f.clock.advance(Duration.ofMinutes(2));
        f.keys.rotate();
        tokens.add(f.issue());

        // when / then: all three verify, and the JWKS has three keys
        assertThat(tokens).allSatisfy(t -> assertThat(f.verifier.verify(t.token())).isInstanceOf(Verified.class));
        assertThat(f.keys.published()).hasSize(3);

        // when: a third rotation long after the first two keys' retention
        f.clock.advance(f.settings.keyRetention());
        f.keys.rotate();

        // then: only the key retired just now and the new one are left
        assertThat(f.keys.published()).hasSize(2);
        assertThat(f.keys.published().get(1).kid()).isEqualTo(tokens.get(2).kid());
    }

    private List<String> jwksKids() throws Exception {
        JsonNode jwks = new ObjectMapper().readTree(f.keys.jwks());
        List<String> kids = new ArrayList<>();
        jwks.get("keys").forEach(key -> kids.add(key.get("kid").asText()));
        return kids;
    }
}
