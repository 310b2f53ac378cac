package io.tlswatch.validator.token;

import java.time.Instant;
import java.util.List;

/**
 * The claims of a verified entitlement token.
 *
 * @param issuer       {@code iss}
 * @param licenseId    {@code sub}
 * @param audience     {@code aud}
 * @param clientId     {@code cid}
 * @param entitlements {@code entitlements}
 * @param issuedAt     {@code iat}
 * @param notBefore    {@code nbf}, or {@code null} when the token has none
 * @param expiresAt    {@code exp}
 * @param jti          {@code jti}
 * @param confirmation {@code cnf}: the key the token is bound to
 */
public record EntitlementClaims(String issuer, String licenseId, List<String> audience, String clientId,
                                List<String> entitlements, Instant issuedAt, Instant notBefore, Instant expiresAt,
                                String jti, Confirmation confirmation) {

    public EntitlementClaims {
        audience = List.copyOf(audience);
        entitlements = List.copyOf(entitlements);
    }
}
