package io.tlswatch.validator.token;

import java.time.Instant;

/**
 * A signed entitlement token.
 *
 * @param token     the compact JWS, as sent to the client
 * @param jti       its unique id
 * @param kid       the signing key
 * @param issuedAt  its {@code iat} (whole seconds)
 * @param expiresAt its {@code exp} (whole seconds), the {@code expiresAt} of the license API answer
 */
public record IssuedToken(String token, String jti, String kid, Instant issuedAt, Instant expiresAt) {

    /** The token itself is a bearer credential until its proof is checked: keep it out of logs. */
    @Override
    public String toString() {
        return "IssuedToken[jti=" + jti + ", kid=" + kid + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
}
