package io.tlswatch.validator.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.testing.MutableClock;
import io.tlswatch.validator.token.DpopVerification.Rejected;
import io.tlswatch.validator.token.DpopVerification.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static io.tlswatch.validator.token.DpopProof.METHOD;
import static org.assertj.core.api.Assertions.assertThat;

class DpopVerifierTest {

    private static final URI REQUEST = URI.create(DpopProof.URI);

    private final MutableClock clock = MutableClock.at("2025-03-14T09:00:00Z");
    private final ReplayCache cache = new ReplayCache(ReplayCache.DEFAULT_CAPACITY, clock);
    private final DpopVerifier verifier = new DpopVerifier(DpopSettings.defaults(), cache, clock);
    private final OctetKeyPair key = DpopProof.ed25519();

    private DpopProof proof() {
        return DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant(), "jti-1");
    }

    private DpopRejection reasonFor(String compact) {
        DpopVerification result = verifier.verify(compact, METHOD, REQUEST);
        assertThat(result).isInstanceOf(Rejected.class);
        return ((Rejected) result).reason();
    }

    // ---- what is accepted ---------------------------------------------------------------------------------------

    static Stream<Arguments> algorithms() {
        return Stream.of(
                Arguments.of(JWSAlgorithm.EdDSA, DpopProof.ed25519()),
                Arguments.of(JWSAlgorithm.Ed25519, DpopProof.ed25519()),
                Arguments.of(JWSAlgorithm.ES256, DpopProof.p256()),
                Arguments.of(JWSAlgorithm.RS256, DpopProof.rsa(2048)),
                Arguments.of(JWSAlgorithm.PS256, DpopProof.rsa(2048)));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void aValidProofYieldsItsKeysThumbprint(JWSAlgorithm alg, JWK proofKey) throws Exception {
        // given
        String compact = DpopProof.by(proofKey, alg, clock.instant(), "jti-1").compact();

        // when
        DpopVerification result = verifier.verify(compact, METHOD, REQUEST);

        // then
        assertThat(result).isEqualTo(new Verified(proofKey.toPublicJWK().computeThumbprint().toString(), "jti-1",
                clock.instant(), Duration.ZERO));
        assertThat(((Verified) result).confirmation())
                .isEqualTo(Confirmation.jkt(proofKey.computeThumbprint().toString()));
    }

    @Test
    void theSkewOfTheClientsClockIsReported() {
        // given: the client's clock 42 s behind
        String compact = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().minusSeconds(42), "j").compact();

        // when
        DpopVerification result = verifier.verify(compact, METHOD, REQUEST);

        // then
        assertThat(((Verified) result).skew()).isEqualTo(Duration.ofSeconds(-42));
    }

    @Test
    void aClientTwoHoursAheadIsRefusedWithAClockOffsetOf7200Seconds() {
        // given: the client's clock two hours ahead, the server 0.4 s into its second
        clock.advance(Duration.ofMillis(400));
        String compact = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().plus(Duration.ofHours(2)), "j")
                .compact();

        // when
        Rejected result = (Rejected) verifier.verify(compact, METHOD, REQUEST);

        // then: iat (truncated to whole seconds) is 7199.6 s ahead; the client's clock read 7200 s ahead
        assertThat(result.reason()).isEqualTo(DpopRejection.IAT_OUT_OF_WINDOW);
        assertThat(result.skew()).isEqualTo(Duration.ofMillis(7_199_600));
        assertThat(result.clockOffsetSeconds()).isEqualTo(7_200L);
    }

    @Test
    void aClientWhoseClockIsRightHasAClockOffsetOfZeroWhereverTheServerIsInItsSecond() {
        for (long millis : new long[] {0, 1, 500, 999}) {
            // given a client on time: its iat is the server's instant truncated to the second
            MutableClock now = MutableClock.at("2025-03-14T09:00:00Z");
            now.advance(Duration.ofMillis(millis));
            DpopVerifier onTime = new DpopVerifier(DpopSettings.defaults(), new ReplayCache(10, now), now);
            String compact = DpopProof.by(key, JWSAlgorithm.EdDSA, now.instant(), "j" + millis).compact();

            // when
            Verified result = (Verified) onTime.verify(compact, METHOD, REQUEST);

            // then
            assertThat(result.clockOffsetSeconds()).as("server %d ms into its second", millis).isZero();
        }
    }

    @Test
    void aClientBehindHasANegativeClockOffset() {
        // given: the client's clock 42.3 s behind, so its iat (whole seconds) is 42.7 s behind the server's clock
        clock.advance(Duration.ofMillis(700));
        String compact = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().minusMillis(42_300), "j").compact();

        // when
        Verified result = (Verified) verifier.verify(compact, METHOD, REQUEST);

        // then: the one whole second in the interval its offset lies in, [-42.7 s, -41.7 s)
        assertThat(result.skew()).isEqualTo(Duration.ofMillis(-42_700));
        assertThat(result.clockOffsetSeconds()).isEqualTo(-42L);
    }

    @Test
    void aProofRefusedBeforeItsIatWasReadHasNoClockOffset() {
        // given: a proof signed by another key than its jwk header names
        String compact = proof().signedBy(DpopProof.ed25519()).compact();

        // when
        Rejected result = (Rejected) verifier.verify(compact, METHOD, REQUEST);

        // then
        assertThat(result.reason()).isEqualTo(DpopRejection.BAD_SIGNATURE);
        assertThat(result.clockOffsetSeconds()).isNull();
    }

    @Test
    void anHtuWithQueryFragmentDefaultPortAndOtherCaseMatches() {
        // given: RFC 9449 §4.3 compares without query and fragment, after normalisation
        String compact = proof()
                .claim("htu", "HTTPS://License.TLSWatch.test:443/v1/licenses/%76alidate?x=1#top")
                .compact();

        // when / then
        assertThat(verifier.verify(compact, METHOD, URI.create(DpopProof.URI + "?licenseKey=k")))
                .isInstanceOf(Verified.class);
    }

    @Test
    void aProofCarryingKidAndExtraClaimsIsAccepted() {
        // given: some client libraries add these; they change nothing
        String compact = proof().header(h -> h.put("kid", "my-key")).claims(c -> c.put("exp", 0).put("x", "y"))
                .compact();

        // when / then
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isInstanceOf(Verified.class);
    }

    @Test
    void jwkMembersBeyondThePublicKeyAreIgnored() throws Exception {
        // given: a jwk with a kid, an alg and a certificate chain that is not even a certificate
        Map<String, Object> jwk = new HashMap<>(key.toPublicJWK().toJSONObject());
        jwk.put("kid", "client-key-1");
        jwk.put("alg", "EdDSA");
        jwk.put("x5c", List.of("bm90IGEgY2VydGlmaWNhdGU"));
        String compact = proof().headerJwk(jwk).compact();

        // when
        DpopVerification result = verifier.verify(compact, METHOD, REQUEST);

        // then: the thumbprint is the key's, whatever else came with it
        assertThat(((Verified) result).jkt()).isEqualTo(key.computeThumbprint().toString());
    }

    // ---- the negative suite (issue 3) ---------------------------------------------------------------------------

    @Test
    void noProofIsProofRequired() {
        // when
        DpopVerification none = verifier.verify((String) null, METHOD, REQUEST);
        DpopVerification noHeader = verifier.verify(List.of(), METHOD, REQUEST, null);

        // then
        assertThat(none).isEqualTo(new Rejected(DpopRejection.MISSING, "no DPoP proof"));
        assertThat(noHeader).isEqualTo(new Rejected(DpopRejection.MISSING, "no DPoP header"));
        assertThat(DpopRejection.MISSING.apiCode()).isEqualTo(LicenseCheckCode.PROOF_REQUIRED);
    }

    @Test
    void twoDpopHeadersAreRefused() {
        // given
        String compact = proof().compact();

        // when / then
        assertThat(verifier.verify(List.of(compact, compact), METHOD, REQUEST, null))
                .isEqualTo(new Rejected(DpopRejection.MULTIPLE, "2 DPoP headers; one is allowed"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "at+jwt", "entitlement+jwt", ""})
    void aTypOtherThanDpopJwtIsRefused(String typ) {
        assertThat(reasonFor(proof().header(h -> h.put("typ", typ)).compact())).isEqualTo(DpopRejection.WRONG_TYPE);
    }

    @Test
    void aMissingTypIsRefused() {
        assertThat(reasonFor(proof().header(h -> h.remove("typ")).compact())).isEqualTo(DpopRejection.WRONG_TYPE);
    }

    @Test
    void algNoneIsRefused() {
        // given
        DpopProof proof = proof().header(h -> h.put("alg", "none"));
        String unsigned = Jose.b64(proof.headerJson()) + "." + Jose.b64(proof.claimsJson()) + ".";

        // when / then
        assertThat(reasonFor(unsigned)).isEqualTo(DpopRejection.ALG_NOT_ALLOWED);
    }

    @Test
    void hs256IsRefusedWhateverKeyItIsMacedWith() throws JOSEException {
        // given: HMAC keyed with the public key bytes of the header's own jwk
        DpopProof proof = proof().header(h -> h.put("alg", "HS256"));
        String compact = Jose.sign(proof.headerJson(), proof.claimsJson(), JWSAlgorithm.HS256,
                new MACSigner(key.getDecodedX()));

        // when / then
        assertThat(reasonFor(compact)).isEqualTo(DpopRejection.ALG_NOT_ALLOWED);
    }

    @Test
    void anAlgorithmLeftOutOfTheConfigurationIsRefused() {
        // given: a verifier that takes EdDSA only
        DpopVerifier edOnly = new DpopVerifier(DpopSettings.defaults().withAlgorithms(Set.of("EdDSA")), cache, clock);
        String compact = DpopProof.by(DpopProof.p256(), JWSAlgorithm.ES256, clock.instant(), "j").compact();

        // when / then
        assertThat(((Rejected) edOnly.verify(compact, METHOD, REQUEST)).reason())
                .isEqualTo(DpopRejection.ALG_NOT_ALLOWED);
    }

    @Test
    void aPrivateKeyInTheJwkHeaderIsRefused() {
        // given: a client that sends its whole key pair
        String compact = proof().headerJwk(key.toJSONObject()).compact();

        // when / then
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isEqualTo(new Rejected(
                DpopRejection.PRIVATE_KEY_IN_HEADER,
                "the jwk header holds private or symmetric key material (d); it must be the public key only"));
    }

    @Test
    void aSymmetricKeyInTheJwkHeaderIsRefused() {
        // given
        Map<String, Object> oct = Map.of("kty", "oct", "k", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA");

        // when / then
        assertThat(reasonFor(proof().headerJwk(oct).compact())).isEqualTo(DpopRejection.PRIVATE_KEY_IN_HEADER);
    }

    @Test
    void aMissingJwkIsRefused() {
        assertThat(reasonFor(proof().header(h -> h.remove("jwk")).compact())).isEqualTo(DpopRejection.INVALID_KEY);
        assertThat(reasonFor(proof().header(h -> h.put("jwk", "key")).compact())).isEqualTo(DpopRejection.INVALID_KEY);
    }

    @Test
    void anEcKeyOffTheCurveIsRefused() throws Exception {
        // given: the invalid-curve attack: a point that is not on P-256
        ECKey genuine = DpopProof.p256();
        Map<String, Object> offCurve = new HashMap<>(genuine.toPublicJWK().toJSONObject());
        offCurve.put("y", DpopProof.p256().getY().toString());
        String compact = DpopProof.by(genuine, JWSAlgorithm.ES256, clock.instant(), "j").headerJwk(offCurve).compact();

        // when / then
        assertThat(reasonFor(compact)).isEqualTo(DpopRejection.INVALID_KEY);
    }

    @Test
    void aKeyOfAnotherKindThanTheAlgIsRefused() {
        // given: alg ES256 with an Ed25519 key; alg EdDSA with an X25519 key
        Map<String, Object> x25519 = Map.of("kty", "OKP", "crv", "X25519",
                "x", "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo");
        String es256 = proof().header(h -> h.put("alg", "ES256")).compact();

        // when / then
        assertThat(reasonFor(es256)).isEqualTo(DpopRejection.KEY_NOT_ALLOWED);
        assertThat(reasonFor(proof().headerJwk(x25519).compact())).isEqualTo(DpopRejection.KEY_NOT_ALLOWED);
    }

    @Test
    void anEd25519KeyOfTheWrongLengthIsRefusedWithoutReachingTheVerifier() {
        // given an OKP Ed25519 jwk whose x is 31 bytes (the verifier would throw on it)
        Map<String, Object> shortKey = Map.of("kty", "OKP", "crv", "Ed25519",
                "x", "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw");

        // when / then
        assertThat(verifier.verify(proof().headerJwk(shortKey).compact(), METHOD, REQUEST))
                .isEqualTo(new Rejected(DpopRejection.KEY_NOT_ALLOWED, "an Ed25519 public key is 32 bytes, this x is 31"));
    }

    @Test
    void aWeakRsaKeyIsRefused() {
        // given
        String compact = DpopProof.by(DpopProof.rsa(1024), JWSAlgorithm.RS256, clock.instant(), "j").compact();

        // when / then
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isEqualTo(new Rejected(DpopRejection.KEY_NOT_ALLOWED,
                "RSA keys must have 2048 to 8192 bits, this one 1024"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jku", "x5u", "x5c", "crit"})
    void headersThatFetchKeysOrDemandExtensionsAreRefused(String parameter) {
        // given
        String compact = proof().header(h -> {
            if (parameter.equals("x5c") || parameter.equals("crit")) {
                h.putArray(parameter).add("htm");
            } else {
                h.put(parameter, "https://attacker.test/keys");
            }
        }).compact();

        // when / then
        assertThat(reasonFor(compact)).isEqualTo(DpopRejection.FORBIDDEN_HEADER);
    }

    @Test
    void aProofSignedByAnotherKeyThanItsJwkIsRefused() {
        // given
        String compact = proof().signedBy(DpopProof.ed25519()).compact();

        // when / then
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isEqualTo(new Rejected(DpopRejection.BAD_SIGNATURE,
                "signature does not verify with the jwk header"));
    }

    @Test
    void es256WithRAndSZeroIsRefused() {
        // given: CVE-2022-21449 on the proof path
        DpopProof proof = DpopProof.by(DpopProof.p256(), JWSAlgorithm.ES256, clock.instant(), "j");
        String compact = Jose.compact(proof.headerJson(), proof.claimsJson(), new byte[64]);

        // when / then
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isEqualTo(new Rejected(DpopRejection.BAD_SIGNATURE,
                "ES256 signature with r or s zero (CVE-2022-21449)"));
    }

    @Test
    void aReplayedJtiIsRefused() {
        // given: a proof accepted once
        String compact = proof().compact();
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isInstanceOf(Verified.class);

        // when: the same proof again, ten seconds later
        clock.advance(Duration.ofSeconds(10));
        DpopVerification replay = verifier.verify(compact, METHOD, REQUEST);

        // then
        assertThat(replay).isEqualTo(new Rejected(DpopRejection.REPLAYED, "this proof's jti was already used",
                Duration.ofSeconds(-10)));
    }

    @Test
    void aReplayAfterTheWindowIsRefusedForItsAge() {
        // given
        String compact = proof().compact();
        verifier.verify(compact, METHOD, REQUEST);

        // when: just past the window, when the jti may have been forgotten
        clock.advance(Duration.ofSeconds(61));

        // then
        assertThat(reasonFor(compact)).isEqualTo(DpopRejection.IAT_OUT_OF_WINDOW);
    }

    @Test
    void theJtiIsRememberedForAsLongAsTheProofIsAcceptable() {
        // given: a proof issued 60 s in the future (the far edge of the window)
        String compact = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().plusSeconds(60), "edge").compact();
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isInstanceOf(Verified.class);

        // when: 119 s later, iat is 59 s behind, still inside the window
        clock.advance(Duration.ofSeconds(119));

        // then: still a replay, not a fresh proof
        assertThat(reasonFor(compact)).isEqualTo(DpopRejection.REPLAYED);
    }

    @Test
    void theSameJtiFromAnotherKeyIsNotAReplay() {
        // given
        verifier.verify(proof().compact(), METHOD, REQUEST);
        String other = DpopProof.by(DpopProof.ed25519(), JWSAlgorithm.EdDSA, clock.instant(), "jti-1").compact();

        // when / then
        assertThat(verifier.verify(other, METHOD, REQUEST)).isInstanceOf(Verified.class);
    }

    @Test
    void aRefusedProofDoesNotUseUpItsJti() {
        // given: a proof for the wrong method is refused
        DpopProof proof = proof();
        assertThat(verifier.verify(proof.compact(), "GET", REQUEST)).isInstanceOf(Rejected.class);

        // when: the right one with the same jti
        DpopVerification result = verifier.verify(proof.compact(), METHOD, REQUEST);

        // then
        assertThat(result).isInstanceOf(Verified.class);
    }

    @Test
    void aFullReplayCacheRefusesNewProofs() {
        // given: room for one proof
        DpopVerifier small = new DpopVerifier(DpopSettings.defaults(), new ReplayCache(1, clock), clock);
        assertThat(small.verify(proof().compact(), METHOD, REQUEST)).isInstanceOf(Verified.class);

        // when
        DpopVerification second = small.verify(proof().claim("jti", "jti-2").compact(), METHOD, REQUEST);

        // then
        assertThat(((Rejected) second).reason()).isEqualTo(DpopRejection.REPLAY_CACHE_FULL);
        assertThat(DpopRejection.REPLAY_CACHE_FULL.apiCode()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "post", "PUT", "POST "})
    void aWrongHtmIsRefused(String htm) {
        assertThat(reasonFor(proof().claim("htm", htm).compact())).isEqualTo(DpopRejection.WRONG_METHOD);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://other.tlswatch.test/v1/licenses/validate",
            "https://license.tlswatch.test:8443/v1/licenses/validate",
            "http://license.tlswatch.test/v1/licenses/validate",
            "https://license.tlswatch.test/v1/licenses/validate/",
            "https://license.tlswatch.test/v1/licenses",
            "https://license.tlswatch.test/V1/licenses/validate"})
    void aWrongHtuIsRefused(String htu) {
        assertThat(reasonFor(proof().claim("htu", htu).compact())).isEqualTo(DpopRejection.WRONG_URI);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/licenses/validate", "license.tlswatch.test/v1/licenses/validate", "ftp://x/y"})
    void anHtuThatIsNotAnAbsoluteHttpUriIsInvalid(String htu) {
        assertThat(reasonFor(proof().claim("htu", htu).compact())).isEqualTo(DpopRejection.INVALID_CLAIM);
    }

    @Test
    void anIatBeyondTheWindowEitherWayIsRefusedWithItsSkew() {
        // given
        String old = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().minusSeconds(61), "old").compact();
        String future = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().plusSeconds(61), "future").compact();

        // when
        Rejected oldResult = (Rejected) verifier.verify(old, METHOD, REQUEST);
        Rejected futureResult = (Rejected) verifier.verify(future, METHOD, REQUEST);

        // then
        assertThat(oldResult.reason()).isEqualTo(DpopRejection.IAT_OUT_OF_WINDOW);
        assertThat(oldResult.skew()).isEqualTo(Duration.ofSeconds(-61));
        assertThat(oldResult.detail()).isEqualTo("iat 2025-03-14T08:58:59Z is 61 s behind the server clock "
                + "2025-03-14T09:00:00Z; the window is ±60 s");
        assertThat(futureResult.reason()).isEqualTo(DpopRejection.IAT_OUT_OF_WINDOW);
        assertThat(futureResult.skew()).isEqualTo(Duration.ofSeconds(61));
    }

    @Test
    void anIatWithinTheWindowEitherWayIsAccepted() {
        // given
        String old = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().minusSeconds(60), "old").compact();
        String future = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().plusSeconds(60), "future").compact();

        // when / then
        assertThat(verifier.verify(old, METHOD, REQUEST)).isInstanceOf(Verified.class);
        assertThat(verifier.verify(future, METHOD, REQUEST)).isInstanceOf(Verified.class);
    }

    @Test
    void theWindowIsConfigurable() {
        // given: a 10 s window
        DpopVerifier tight = new DpopVerifier(DpopSettings.defaults().withIatWindow(Duration.ofSeconds(10)), cache,
                clock);
        String compact = DpopProof.by(key, JWSAlgorithm.EdDSA, clock.instant().minusSeconds(11), "j").compact();

        // when / then
        assertThat(((Rejected) tight.verify(compact, METHOD, REQUEST)).reason())
                .isEqualTo(DpopRejection.IAT_OUT_OF_WINDOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jti", "htm", "htu", "iat"})
    void aMissingClaimIsRefused(String claim) {
        // given
        String compact = proof().claims(c -> c.remove(claim)).compact();

        // when / then
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isInstanceOfSatisfying(Rejected.class,
                r -> assertThat(r).extracting(Rejected::reason, Rejected::detail)
                        .containsExactly(DpopRejection.MISSING_CLAIM, claim + " is missing"));
    }

    @Test
    void anOverlongJtiIsRefused() {
        assertThat(reasonFor(proof().claim("jti", "j".repeat(257)).compact())).isEqualTo(DpopRejection.INVALID_CLAIM);
    }

    @Test
    void withAnAccessTokenTheProofMustCarryItsHash() throws Exception {
        // given
        String accessToken = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJsaWMtNDIifQ.c2ln";
        String ath = Jose.b64(MessageDigest.getInstance("SHA-256")
                .digest(accessToken.getBytes(StandardCharsets.US_ASCII)));

        // when
        DpopVerification withAth = verifier.verify(proof().claim("ath", ath).compact(), METHOD, REQUEST, accessToken);
        DpopVerification withoutAth = verifier.verify(proof().claim("jti", "2").compact(), METHOD, REQUEST,
                accessToken);
        DpopVerification wrongAth = verifier.verify(proof().claim("jti", "3").claim("ath", Jose.b64(new byte[32]))
                .compact(), METHOD, REQUEST, accessToken);

        // then
        assertThat(withAth).isInstanceOf(Verified.class);
        assertThat(((Rejected) withoutAth).reason()).isEqualTo(DpopRejection.ATH_MISMATCH);
        assertThat(((Rejected) wrongAth).reason()).isEqualTo(DpopRejection.ATH_MISMATCH);
    }

    @Test
    void anOversizedProofIsRefusedUnread() {
        // given
        String compact = proof().claim("padding", "x".repeat(7000)).compact();

        // when / then
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isEqualTo(new Rejected(DpopRejection.TOO_LARGE,
                "longer than 8192 characters"));
    }

    @Test
    void deeplyNestedJsonIsRefusedBeforeParsing() {
        // given: nesting in the claims, and nesting inside the header's jwk
        String claims = proof().claimsJson().replaceFirst("^\\{", "{\"x\":" + Jose.nestedArrays(2000) + ",");
        String deepClaims = Jose.sign(proof().headerJson(), claims, JWSAlgorithm.EdDSA, DpopProof.signerFor(key));
        Map<String, Object> jwk = new HashMap<>(key.toPublicJWK().toJSONObject());
        jwk.put("ext", nested(20));
        String deepHeader = proof().headerJwk(jwk).compact();

        // when / then
        assertThat(reasonFor(deepClaims)).isEqualTo(DpopRejection.TOO_DEEP);
        assertThat(reasonFor(deepHeader)).isEqualTo(DpopRejection.TOO_DEEP);
    }

    @ParameterizedTest
    @EnumSource(DpopRejection.class)
    void everyReasonButMissingIsProofInvalid(DpopRejection reason) {
        assertThat(reason.apiCode()).isEqualTo(reason == DpopRejection.MISSING
                ? LicenseCheckCode.PROOF_REQUIRED : LicenseCheckCode.PROOF_INVALID);
        assertThat(reason.tag()).matches("[a-z_]+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "a.b.c", "e30.e30.", "e30.e30.e30", "..", "a.b.c.d.e"})
    void garbageNeverThrows(String compact) {
        assertThat(verifier.verify(compact, METHOD, REQUEST)).isInstanceOf(Rejected.class);
    }

    @Test
    void aRequestUriThatIsNotAbsoluteMatchesNothing() {
        assertThat(((Rejected) verifier.verify(proof().compact(), METHOD, URI.create("/v1/licenses/validate")))
                .reason()).isEqualTo(DpopRejection.WRONG_URI);
    }

    private static Object nested(int depth) {
        Object value = List.of();
        for (int i = 0; i < depth; i++) {
            value = List.of(value);
        }
        return value;
    }
}
