package io.tlswatch.validator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.validator.token.TokenVerification.Verified;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenIssuerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TokenFixture f = new TokenFixture(SigningAlgorithm.EDDSA);

    @Test
    void theHeaderNamesTheAlgorithmTheKeyAndTheEntitlementType() throws Exception {
        // when
        IssuedToken issued = f.issue();

        // then: exactly these three parameters
        JsonNode header = MAPPER.readTree(Jose.header(issued.token()));
        assertThat(header.fieldNames()).toIterable().containsExactlyInAnyOrder("alg", "kid", "typ");
        assertThat(header.get("alg").asText()).isEqualTo("EdDSA");
        assertThat(header.get("kid").asText()).isEqualTo(f.keys.current().kid()).isEqualTo(issued.kid());
        assertThat(header.get("typ").asText()).isEqualTo("entitlement+jwt");
    }

    @Test
    void theClaimsAreTheGrantsWithA15MinuteLifetime() throws Exception {
        // given: a clock with a fraction of a second, which JWT times cannot hold
        f.clock.set(Instant.parse("2025-03-14T09:26:53.589Z"));

        // when
        IssuedToken issued = f.issue();

        // then
        JsonNode claims = MAPPER.readTree(Jose.payload(issued.token()));
        long iat = Instant.parse("2025-03-14T09:26:53Z").getEpochSecond();
        assertThat(claims.fieldNames()).toIterable().containsExactlyInAnyOrder(
                "iss", "sub", "aud", "cid", "entitlements", "iat", "nbf", "exp", "jti", "cnf");
        assertThat(claims.get("iss").asText()).isEqualTo(TokenFixture.ISSUER);
        assertThat(claims.get("sub").asText()).isEqualTo("lic-42");
        assertThat(claims.get("aud").asText()).isEqualTo(TokenFixture.AUDIENCE);
        assertThat(claims.get("cid").asText()).isEqualTo("client-7");
        assertThat(claims.get("entitlements")).extracting(JsonNode::asText).containsExactly("reports", "export");
        assertThat(claims.get("iat").asLong()).isEqualTo(iat);
        assertThat(claims.get("nbf").asLong()).isEqualTo(iat);
        assertThat(claims.get("exp").asLong()).isEqualTo(iat + 900);
        assertThat(claims.get("jti").asText()).isEqualTo(issued.jti()).matches("[A-Za-z0-9_-]{22}");
        assertThat(claims.get("cnf").toString()).isEqualTo("{\"jkt\":\"" + TokenFixture.JKT + "\"}");
        assertThat(issued.issuedAt()).isEqualTo(Instant.ofEpochSecond(iat));
        assertThat(issued.expiresAt()).isEqualTo(Instant.ofEpochSecond(iat + 900));
    }

    @Test
    void theLifetimeIsConfigurable() {
        // given
        TokenIssuer issuer = new TokenIssuer(f.keys, f.settings.withLifetime(Duration.ofMinutes(5)), f.clock);

        // when
        IssuedToken issued = issuer.issue(TokenFixture.grant());

        // then
        assertThat(Duration.between(issued.issuedAt(), issued.expiresAt())).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aGrantsShorterLifetimeIsTheTokensLifetime() {
        // given a grant whose license's policy gives two-minute tokens
        EntitlementGrant grant = new EntitlementGrant("lic-42", "client-7", List.of("reports"),
                Confirmation.jkt(TokenFixture.JKT), null, Duration.ofMinutes(2));

        // when
        IssuedToken issued = f.issuer.issue(grant);

        // then
        assertThat(Duration.between(issued.issuedAt(), issued.expiresAt())).isEqualTo(Duration.ofMinutes(2));
        assertThat(f.verifier.verify(issued.token())).isInstanceOf(Verified.class);
    }

    @Test
    void aGrantsLifetimeBeyondTheConfiguredOneIsCappedAtIt() {
        // given a grant asking for 12-hour tokens from an issuer configured for 15 minutes
        EntitlementGrant grant = new EntitlementGrant("lic-42", "client-7", List.of("reports"),
                Confirmation.jkt(TokenFixture.JKT), null, Duration.ofHours(12));

        // when
        IssuedToken issued = f.issuer.issue(grant);

        // then the token lives 15 minutes: no token may outlive its key's retention
        assertThat(Duration.between(issued.issuedAt(), issued.expiresAt())).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aGrantsLifetimeIsWholeSecondsAndAtLeastOne() {
        // given grants of 90.7 seconds and of half a second
        Confirmation key = Confirmation.jkt(TokenFixture.JKT);
        EntitlementGrant fractional = new EntitlementGrant("lic-42", "client-7", List.of(), key, null,
                Duration.ofMillis(90_700));
        EntitlementGrant tiny = new EntitlementGrant("lic-42", "client-7", List.of(), key, null,
                Duration.ofMillis(500));

        // when
        IssuedToken first = f.issuer.issue(fractional);
        IssuedToken second = f.issuer.issue(tiny);

        // then what the token says is what expiresAt says
        assertThat(Duration.between(first.issuedAt(), first.expiresAt())).isEqualTo(Duration.ofSeconds(90));
        assertThat(Duration.between(second.issuedAt(), second.expiresAt())).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aGrantsLifetimeNeverOutlivesItsLicense() {
        // given a license ending in one minute and a grant of ten
        EntitlementGrant grant = new EntitlementGrant("lic-42", "client-7", List.of(),
                Confirmation.jkt(TokenFixture.JKT), f.clock.instant().plusSeconds(60), Duration.ofMinutes(10));

        // when
        IssuedToken issued = f.issuer.issue(grant);

        // then
        assertThat(issued.expiresAt()).isEqualTo(f.clock.instant().plusSeconds(60));
    }

    @Test
    void aCertificateBindingIsWrittenAsX5tS256() throws Exception {
        // given
        Confirmation certificate = Confirmation.certificateDer("certificate".getBytes());
        EntitlementGrant grant = new EntitlementGrant("lic-1", "client-1", List.of(), certificate);

        // when
        IssuedToken issued = f.issuer.issue(grant);

        // then
        JsonNode cnf = MAPPER.readTree(Jose.payload(issued.token())).get("cnf");
        assertThat(cnf.toString()).isEqualTo("{\"x5t#S256\":\"" + certificate.value() + "\"}");
        assertThat(((Verified) f.verifier.verify(issued.token())).claims().confirmation()).isEqualTo(certificate);
    }

    @Test
    void aTokenNeverOutlivesItsLicense() {
        // given: the license ends in five minutes
        Instant licenseEnd = f.clock.instant().plus(Duration.ofMinutes(5));
        EntitlementGrant grant = new EntitlementGrant("lic-1", "client-1", List.of("a"),
                Confirmation.jkt(TokenFixture.JKT), licenseEnd);

        // when
        IssuedToken issued = f.issuer.issue(grant);

        // then
        assertThat(issued.expiresAt()).isEqualTo(licenseEnd);
    }

    @Test
    void noTokenIsIssuedForALicenseThatHasEnded() {
        // given
        EntitlementGrant grant = new EntitlementGrant("lic-1", "client-1", List.of("a"),
                Confirmation.jkt(TokenFixture.JKT), f.clock.instant());

        // when / then
        assertThatThrownBy(() -> f.issuer.issue(grant)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no token is issued");
    }

    @Test
    void everyTokenHasItsOwnJti() {
        // when
        Set<String> jtis = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            jtis.add(f.issue().jti());
        }

        // then
        assertThat(jtis).hasSize(1000);
    }

    @Test
    void anIssuedTokenIsKeptOutOfItsToString() {
        // when
        IssuedToken issued = f.issue();

        // then
        assertThat(issued.toString()).doesNotContain(issued.token()).contains(issued.jti());
    }

    @Test
    void aGrantNeedsALicenseAClientAndABinding() {
        assertThatThrownBy(() -> new EntitlementGrant(" ", "c", List.of(), Confirmation.jkt(TokenFixture.JKT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntitlementGrant("l", "", List.of(), Confirmation.jkt(TokenFixture.JKT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntitlementGrant("l", "c", List.of(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("bound");
    }
}
