package io.tlswatch.client.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.client.identity.Installation;
import io.tlswatch.contract.testing.MutableClock;
import io.tlswatch.validator.token.Confirmation;
import io.tlswatch.validator.token.EntitlementGrant;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The SDK's token checks against tokens from the validator's own issuer, and forgeries of them. */
class EntitlementVerifierTest {

    private static final String ISSUER = "https://licenses.example.com";
    private static final String AUDIENCE = "tlswatch-client";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-14T09:00:00Z"));
    private final Installation installation = new Installation("inst-1", newKey());
    private final SigningKeys keys = SigningKeys.generate(SigningAlgorithm.EDDSA, Duration.ofMinutes(16), clock);
    private final TokenIssuer issuer = new TokenIssuer(keys, TokenSettings.defaults(ISSUER, AUDIENCE), clock);
    private final Jwks jwks = seededJwks();
    private final EntitlementVerifier verifier = new EntitlementVerifier(jwks, ISSUER, AUDIENCE,
            installation.clientId(), installation.thumbprint(), clock);

    @Test
    void aTokenIssuedToThisInstallationVerifies() throws Exception {
        String token = issue("inst-1", installation.thumbprint());

        VerifiedToken verified = verifier.verify(token);

        assertThat(verified.licenseId()).isEqualTo("lic-1");
        assertThat(verified.entitlements()).containsExactly("reporting");
        assertThat(verified.kid()).isEqualTo(keys.current().kid());
        assertThat(verified.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    }

    @Test
    void aTokenForAnotherInstallationIsRefused() {
        String token = issue("inst-2", installation.thumbprint());

        assertThat(refusal(token)).isEqualTo("wrong_client");
    }

    @Test
    void aTokenBoundToAnotherKeyIsRefused() throws Exception {
        String token = issue("inst-1", newKey().computeThumbprint().toString());

        assertThat(refusal(token)).isEqualTo("binding_mismatch");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        TokenIssuer other = new TokenIssuer(keys, TokenSettings.defaults("https://evil.example", AUDIENCE), clock);
        String token = other.issue(new EntitlementGrant("lic-1", "inst-1", List.of(),
                Confirmation.jkt(installation.thumbprint()))).token();

        assertThat(refusal(token)).isEqualTo("wrong_issuer");
    }

    @Test
    void anHmacForgeryKeyedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKey = keys.jwks().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.current().kid())
                .type(new JOSEObjectType("entitlement+jwt")).build(), claims("inst-1", installation.thumbprint()));
        forged.sign(new MACSigner(publicKey));

        assertThat(refusal(forged.serialize())).isEqualTo("alg_not_allowed");
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"typ\":\"entitlement+jwt\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String payload = issue("inst-1", installation.thumbprint()).split("\\.")[1];

        assertThat(refusal(header + "." + payload + ".")).isIn("malformed", "alg_not_allowed");
    }

    @Test
    void aTokenNamingItsOwnKeyIsRefused() throws Exception {
        ECKey attacker = newKey();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keys.current().kid())
                .type(new JOSEObjectType("entitlement+jwt")).jwk(attacker.toPublicJWK()).build(),
                claims("inst-1", installation.thumbprint()));
        forged.sign(new ECDSASigner(attacker));

        assertThat(refusal(forged.serialize())).isEqualTo("forbidden_header");
    }

    @Test
    void aSignatureByAKeyOutsideTheJwksIsRefused() throws Exception {
        ECKey attacker = newKey();
        SigningKeys es256 = SigningKeys.generate(SigningAlgorithm.ES256, Duration.ofMinutes(16), clock);
        Jwks published = new Jwks(unreachable(), URI.create("https://127.0.0.1:1/jwks"), clock);
        published.seed(JWKSet.parse(es256.jwks()));
        EntitlementVerifier against = new EntitlementVerifier(published, ISSUER, AUDIENCE, "inst-1",
                installation.thumbprint(), clock);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(es256.current().kid())
                .type(new JOSEObjectType("entitlement+jwt")).build(), claims("inst-1", installation.thumbprint()));
        forged.sign(new ECDSASigner(attacker));

        TokenException refused = catchThrowableOfType(() -> against.verify(forged.serialize()), TokenException.class);
        assertThat(refused.reason()).isEqualTo("bad_signature");
    }

    @Test
    void anExpiredTokenIsRefusedOnlineButKeptForGraceFromTheCache() throws Exception {
        String token = issue("inst-1", installation.thumbprint());
        clock.advance(Duration.ofMinutes(17));

        assertThat(refusal(token)).isEqualTo("expired");
        assertThat(verifier.verifyCached(token).licenseId()).isEqualTo("lic-1");
    }

    @Test
    void aTokenBoundToTheCertificateThisClientPresentedVerifies() throws Exception {
        String presented = thumbprintOf("client certificate A");
        String token = issuer.issue(new EntitlementGrant("lic-1", "inst-1", List.of("reporting"),
                Confirmation.certificateDer("client certificate A".getBytes(StandardCharsets.UTF_8)))).token();

        VerifiedToken verified = verifier.verify(token, presented);

        assertThat(verified.certificateThumbprint()).isEqualTo(presented);
        assertThat(verifier.verifyCached(token, presented).licenseId()).isEqualTo("lic-1");
    }

    @Test
    void aCertificateBoundTokenIsRefusedWithoutThatCertificate() {
        String token = issuer.issue(new EntitlementGrant("lic-1", "inst-1", List.of(),
                Confirmation.certificateDer("client certificate A".getBytes(StandardCharsets.UTF_8)))).token();

        assertThat(refusal(token)).isEqualTo("binding_mismatch");
        TokenException other = catchThrowableOfType(
                () -> verifier.verify(token, thumbprintOf("client certificate B")), TokenException.class);
        assertThat(other.reason()).isEqualTo("binding_mismatch");
        assertThat(other).hasMessageContaining("another client certificate");
    }

    @Test
    void aKeyBoundTokenStillNeedsThisInstallationsKeyWhenACertificateWasPresented() throws Exception {
        String token = issue("inst-1", newKey().computeThumbprint().toString());

        TokenException refused = catchThrowableOfType(
                () -> verifier.verify(token, thumbprintOf("client certificate A")), TokenException.class);

        assertThat(refused.reason()).isEqualTo("binding_mismatch");
    }

    @Test
    void aFreshTokenFromTheFutureSaysHowFarThisClocksLags() {
        // given a token issued by a server whose clock is three hours ahead of this client's
        MutableClock server = new MutableClock(clock.instant().plus(Duration.ofHours(3)));
        String token = new TokenIssuer(keys, TokenSettings.defaults(ISSUER, AUDIENCE), server)
                .issue(new EntitlementGrant("lic-1", "inst-1", List.of(), Confirmation.jkt(installation.thumbprint())))
                .token();

        TokenException refused = catchThrowableOfType(() -> verifier.verify(token), TokenException.class);

        assertThat(refused.reason()).isEqualTo("not_yet_valid");
        assertThat(refused.clockOffset()).contains(Duration.ofHours(-3));
    }

    @Test
    void aFreshTokenAlreadyExpiredSaysHowFarThisClockRunsAhead() {
        String token = issue("inst-1", installation.thumbprint());
        clock.advance(Duration.ofHours(2));

        TokenException refused = catchThrowableOfType(() -> verifier.verify(token), TokenException.class);

        assertThat(refused.reason()).isEqualTo("expired");
        assertThat(refused.clockOffset()).contains(Duration.ofHours(2));
    }

    @Test
    void otherRefusalsSayNothingOfTheClock() {
        TokenException refused = catchThrowableOfType(() -> verifier.verify(issue("inst-2", installation.thumbprint())),
                TokenException.class);

        assertThat(refused.clockOffset()).isEmpty();
    }

    private static String thumbprintOf(String der) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(der.getBytes(StandardCharsets.UTF_8)));
    }

    private String issue(String clientId, String jkt) {
        return issuer.issue(new EntitlementGrant("lic-1", clientId, List.of("reporting"), Confirmation.jkt(jkt))).token();
    }

    private JWTClaimsSet claims(String clientId, String jkt) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("lic-1").claim("cid", clientId)
                .claim("cnf", Map.of("jkt", jkt)).claim("entitlements", List.of())
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(900)))
                .jwtID("j1").build();
    }

    private String refusal(String token) {
        TokenException refused = catchThrowableOfType(() -> verifier.verify(token), TokenException.class);
        assertThat(refused).as("the token must be refused").isNotNull();
        return refused.reason();
    }

    private Jwks seededJwks() {
        Jwks seeded = new Jwks(unreachable(), URI.create("https://127.0.0.1:1/.well-known/jwks.json"), clock);
        try {
            seeded.seed(JWKSet.parse(keys.jwks()));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        return seeded;
    }

    private static HttpTransport unreachable() {
        try {
            return new HttpTransport(ClientTls.create(null, List.of(), List.of()), Duration.ofSeconds(1),
                    Duration.ofSeconds(1));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
