package io.tlswatch.validator.token;

import io.tlswatch.contract.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {

    private static final Duration RETENTION = Duration.ofMinutes(16);
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "k");

    private final MutableClock clock = MutableClock.at("2025-03-14T09:00:00Z");

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void aGeneratedKeyIsNamedByItsRfc7638Thumbprint(SigningAlgorithm algorithm) throws Exception {
        // when
        SigningKeys keys = SigningKeys.generate(algorithm, RETENTION, clock);

        // then
        SigningKey key = keys.current();
        assertThat(key.algorithm()).isEqualTo(algorithm);
        assertThat(key.canSign()).isTrue();
        assertThat(key.kid()).isEqualTo(key.publicJwk().computeThumbprint().toString()).hasSize(43);
    }

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void theJwksHoldsPublicKeysOnly(SigningAlgorithm algorithm) throws Exception {
        // given: a ring with a retired key too
        SigningKeys keys = SigningKeys.generate(algorithm, RETENTION, clock);
        keys.rotate();

        // when
        JsonNode jwks = new ObjectMapper().readTree(keys.jwks());

        // then
        assertThat(jwks.get("keys")).hasSize(2);
        for (JsonNode key : jwks.get("keys")) {
            assertThat(key.fieldNames()).toIterable().doesNotContainAnyElementsOf(PRIVATE_MEMBERS);
            assertThat(key.get("use").asText()).isEqualTo("sig");
            assertThat(key.get("alg").asText()).isEqualTo(algorithm.jws().getName());
            assertThat(key.get("kid").asText()).matches("[A-Za-z0-9_-]{43}");
            assertThat(JWK.parse(key.toString()).isPrivate()).isFalse();
        }
    }

    @Test
    void theJwksFollowsRotationAndRetentionAlthoughItIsKeptBetweenRequests() throws Exception {
        // given a JWKS already served once
        SigningKeys keys = SigningKeys.generate(SigningAlgorithm.EDDSA, RETENTION, clock);
        String first = keys.current().kid();
        assertThat(kids(keys.jwks())).containsExactly(first);

        // when the key rotates, then the new key leads and the old one stays published
        String second = keys.rotate().kid();
        assertThat(kids(keys.jwks())).containsExactly(second, first);

        // when the retention passes, then the old key is gone from it
        clock.advance(RETENTION);
        assertThat(kids(keys.jwks())).containsExactly(second);
    }

    private static List<String> kids(String jwks) throws Exception {
        List<String> kids = new java.util.ArrayList<>();
        new ObjectMapper().readTree(jwks).get("keys").forEach(key -> kids.add(key.get("kid").asText()));
        return kids;
    }

    @Test
    void findReturnsTheCurrentAndLiveRetiredKeysOnly() {
        // given
        SigningKeys keys = SigningKeys.generate(SigningAlgorithm.EDDSA, RETENTION, clock);
        String first = keys.current().kid();
        String second = keys.rotate().kid();

        // when / then
        assertThat(keys.find(first)).isPresent();
        assertThat(keys.find(second)).contains(keys.current());
        assertThat(keys.find("unknown")).isEmpty();
        assertThat(keys.find(null)).isEmpty();

        // when: retention passes
        clock.advance(RETENTION);

        // then
        assertThat(keys.find(first)).isEmpty();
        assertThat(keys.find(second)).isPresent();
    }

    @Test
    void rotationUsesTheRotationAlgorithm() {
        // given: keys loaded as EdDSA, rotating to ES256
        SigningKeys keys = SigningKeys.of(SigningKey.generate(SigningAlgorithm.EDDSA), List.of(),
                SigningAlgorithm.ES256, RETENTION, clock);

        // when
        SigningKey fresh = keys.rotate();

        // then
        assertThat(fresh.algorithm()).isEqualTo(SigningAlgorithm.ES256);
        assertThat(keys.published()).extracting(SigningKey::algorithm)
                .containsExactly(SigningAlgorithm.ES256, SigningAlgorithm.EDDSA);
    }

    @Test
    void aKeyRingFromAFileSignsWithItsFirstKeyAndPublishesThePreviousOnesForTheRetention(@TempDir Path dir)
            throws Exception {
        // given: a file with a current private key and a previous public one
        JWK current = SigningAlgorithm.EDDSA.generate();
        JWK previous = SigningAlgorithm.ES256.generate().toPublicJWK();
        Path file = dir.resolve("signing-keys.jwks");
        Files.writeString(file, "{\"keys\":[" + current.toJSONString() + "," + previous.toJSONString() + "]}",
                StandardCharsets.UTF_8);

        // when
        SigningKeys keys = SigningKeys.load(file, SigningAlgorithm.EDDSA, RETENTION, clock);

        // then
        assertThat(keys.current().kid()).isEqualTo(current.getKeyID());
        assertThat(keys.published()).extracting(SigningKey::kid)
                .containsExactly(current.getKeyID(), previous.getKeyID());

        // when: the retention passes
        clock.advance(RETENTION);

        // then
        assertThat(keys.published()).extracting(SigningKey::kid).containsExactly(current.getKeyID());
    }

    @Test
    void tokensSignedBeforeARestartVerifyAfterItWhenKeysComeFromAFile(@TempDir Path dir) throws Exception {
        // given: one process issues a token with the file's key
        Path file = dir.resolve("signing-keys.jwks");
        Files.writeString(file, SigningKeyFile.newKeyFile(SigningAlgorithm.ES256), StandardCharsets.UTF_8);
        TokenSettings settings = TokenSettings.defaults(TokenFixture.ISSUER, TokenFixture.AUDIENCE);
        SigningKeys first = SigningKeys.load(file, SigningAlgorithm.ES256, settings.keyRetention(), clock);
        IssuedToken token = new TokenIssuer(first, settings, clock).issue(TokenFixture.grant());

        // when: another process (a restart, or a replica) loads the same file
        SigningKeys second = SigningKeys.load(file, SigningAlgorithm.ES256, settings.keyRetention(), clock);

        // then
        assertThat(new TokenVerifier(second, settings, clock).verify(token.token()).verified()).isTrue();
        assertThat(second.jwks()).isEqualTo(first.jwks());
    }

    @Test
    void theCurrentKeyMustBeAbleToSign() {
        // given
        SigningKey publicOnly = SigningKey.of(SigningAlgorithm.EDDSA.generate().toPublicJWK());

        // when / then
        assertThatThrownBy(() -> SigningKeys.of(publicOnly, List.of(), SigningAlgorithm.EDDSA, RETENTION, clock))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("has no private part");
    }

    @Test
    void twoKeysWithOneKidAreRefused() {
        // given
        JWK jwk = SigningAlgorithm.EDDSA.generate();

        // when / then
        assertThatThrownBy(() -> SigningKeys.of(SigningKey.of(jwk), List.of(SigningKey.of(jwk.toPublicJWK())),
                SigningAlgorithm.EDDSA, RETENTION, clock))
                .isInstanceOf(SigningKeyException.class)
                .hasMessageContaining("share the kid");
    }

    @Test
    void aRetentionMustBePositive() {
        assertThatThrownBy(() -> SigningKeys.generate(SigningAlgorithm.EDDSA, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStagedKeyIsPublishedAndAcceptedButDoesNotSign() {
        // given
        SigningKey current = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKey next = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKeys keys = SigningKeys.of(current, List.of(), SigningAlgorithm.EDDSA, RETENTION, clock);

        // when
        keys.reload(new KeyFileContents(current, Optional.of(next), List.of()));

        // then
        assertThat(keys.current()).isEqualTo(current);
        assertThat(keys.next()).hasValue(next);
        assertThat(keys.find(next.kid())).hasValue(next);
        assertThat(keys.published()).containsExactly(current, next);
    }

    @Test
    void afterThePromotionTheOldKeyStaysPublishedForTheRetentionEvenWhenTheFileDropsIt() {
        // given: a key staged, then promoted in a file that no longer lists the old key
        SigningKey old = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKey fresh = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKeys keys = SigningKeys.of(old, List.of(), SigningAlgorithm.EDDSA, RETENTION, clock);
        keys.reload(new KeyFileContents(old, Optional.of(fresh), List.of()));

        // when
        keys.reload(new KeyFileContents(fresh, Optional.empty(), List.of()));

        // then
        assertThat(keys.current()).isEqualTo(fresh);
        assertThat(keys.next()).isEmpty();
        assertThat(keys.published()).containsExactly(fresh, old);
        assertThat(keys.find(old.kid())).hasValue(old);

        // when: the retention passes
        clock.advance(RETENTION);

        // then
        assertThat(keys.published()).containsExactly(fresh);
        assertThat(keys.find(old.kid())).isEmpty();
    }

    @Test
    void aRetiredKeyKeepsItsTimeAcrossReloadsAndIsNotExtendedByStayingInTheFile() {
        // given: promoted in a file that keeps the old key as retired
        SigningKey old = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKey fresh = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKeys keys = SigningKeys.of(old, List.of(), SigningAlgorithm.EDDSA, RETENTION, clock);
        keys.reload(new KeyFileContents(fresh, Optional.empty(), List.of(old)));

        // when: another change of the file later, still listing the old key
        clock.advance(RETENTION.dividedBy(2));
        SigningKey staged = SigningKey.generate(SigningAlgorithm.EDDSA);
        keys.reload(new KeyFileContents(fresh, Optional.of(staged), List.of(old)));

        // then: published until the retention counted from the promotion, not from the last reload
        assertThat(keys.published()).containsExactly(fresh, staged, old);
        clock.advance(RETENTION.dividedBy(2));
        assertThat(keys.published()).containsExactly(fresh, staged);
    }

    @Test
    void aStagedKeyWithdrawnFromTheFileIsRetiredRatherThanDropped() {
        // given: a key staged (another replica may already sign with it)
        SigningKey current = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKey withdrawn = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKeys keys = SigningKeys.of(current, List.of(), SigningAlgorithm.EDDSA, RETENTION, clock);
        keys.reload(new KeyFileContents(current, Optional.of(withdrawn), List.of()));

        // when
        keys.reload(new KeyFileContents(current, Optional.empty(), List.of()));

        // then
        assertThat(keys.next()).isEmpty();
        assertThat(keys.published()).containsExactly(current, withdrawn);
    }

    @Test
    void theJwksListsTheStagedKeyAfterTheSigningKey() throws Exception {
        // given
        SigningKey current = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKey next = SigningKey.generate(SigningAlgorithm.ES256);
        SigningKeys keys = SigningKeys.of(current, List.of(), SigningAlgorithm.EDDSA, RETENTION, clock);

        // when
        keys.reload(new KeyFileContents(current, Optional.of(next), List.of()));

        // then
        JsonNode published = new ObjectMapper().readTree(keys.jwks()).get("keys");
        assertThat(published).extracting(k -> k.get("kid").asText()).containsExactly(current.kid(), next.kid());
        assertThat(published).allSatisfy(k -> assertThat(k.has("d")).isFalse());
    }
}
