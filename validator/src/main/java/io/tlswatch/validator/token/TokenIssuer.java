package io.tlswatch.validator.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Objects;

/**
 * Issues entitlement tokens: a JWS signed with the ring's current key, header {@code alg}, {@code kid},
 * {@code typ: entitlement+jwt}; claims {@code iss}, {@code sub} (license id), {@code aud}, {@code cid},
 * {@code entitlements}, {@code iat}, {@code nbf}, {@code exp}, {@code jti} and {@code cnf}. Thread-safe.
 */
public final class TokenIssuer {

    private static final Duration MIN_LIFETIME = Duration.ofSeconds(1);

    private final SigningKeys keys;
    private final TokenSettings settings;
    private final Clock clock;
    private final SecureRandom random;

    public TokenIssuer(SigningKeys keys, TokenSettings settings, Clock clock) {
        this(keys, settings, clock, new SecureRandom());
    }

    TokenIssuer(SigningKeys keys, TokenSettings settings, Clock clock, SecureRandom random) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Signs a token for {@code grant}. It expires the grant's lifetime from now (its license's policy may shorten
     * tokens), never more than {@link TokenSettings#lifetime()}, and at the license's not-after when that comes
     * first.
     *
     * @throws IllegalArgumentException when the grant's license has already ended
     */
    public IssuedToken issue(EntitlementGrant grant) {
        Objects.requireNonNull(grant, "grant");
        // JWT times are whole seconds; truncating here makes expiresAt equal to what the token says.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plus(lifetimeOf(grant));
        if (grant.notAfter() != null) {
            Instant licenseEnd = grant.notAfter().truncatedTo(ChronoUnit.SECONDS);
            if (!licenseEnd.isAfter(now)) {
                throw new IllegalArgumentException("the license ended at " + grant.notAfter()
                        + "; no token is issued for it");
            }
            if (licenseEnd.isBefore(expiresAt)) {
                expiresAt = licenseEnd;
            }
        }
        SigningKey key = keys.current();
        String jti = newJti();
        JWSHeader header = new JWSHeader.Builder(key.algorithm().jws())
                .keyID(key.kid())
                .type(new JOSEObjectType(TokenFormat.TYPE))
                .build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(grant.licenseId())
                .audience(settings.audience())
                .claim(TokenFormat.CLIENT_ID, grant.clientId())
                .claim(TokenFormat.ENTITLEMENTS, grant.entitlements())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(jti)
                .claim(TokenFormat.CONFIRMATION, Map.of(grant.confirmation().member(), grant.confirmation().value()))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(key.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token with key " + key.kid() + ": " + e.getMessage(), e);
        }
        return new IssuedToken(jwt.serialize(), jti, key.kid(), now, expiresAt);
    }

    /**
     * The grant's lifetime, capped at the configured one: retired signing keys stay published for the configured
     * lifetime plus the leeway ({@link TokenSettings#keyRetention()}), and the key rotation runbook waits that
     * long, so no token may outlive it. Whole seconds, at least one, as a JWT's times are.
     */
    private Duration lifetimeOf(EntitlementGrant grant) {
        Duration wanted = grant.lifetime();
        if (wanted == null || wanted.compareTo(settings.lifetime()) > 0) {
            return settings.lifetime();
        }
        Duration whole = Duration.ofSeconds(wanted.getSeconds());
        return whole.compareTo(MIN_LIFETIME) < 0 ? MIN_LIFETIME : whole;
    }

    public TokenSettings settings() {
        return settings;
    }

    /** 128 random bits: unique without coordination between replicas. */
    private String newJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
