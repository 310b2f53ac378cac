package io.tlswatch.validator.token;

import java.util.Locale;

/** Why an entitlement token was refused. A bounded set: fit for a metric tag ({@link #tag()}). */
public enum TokenRejection {
    /** Not a compact JWS of three base64url parts, or a part is not a UTF-8 JSON object. */
    MALFORMED,
    /** Longer than {@link TokenSettings#maxTokenLength()}; refused unread. */
    TOO_LARGE,
    /** JSON nested deeper than the parser accepts; refused before parsing. */
    TOO_DEEP,
    /** {@code alg} is not one this server signs with ({@code none}, {@code HS256}...), or not its key's. */
    ALG_NOT_ALLOWED,
    /** A header parameter other than {@code alg}, {@code kid}, {@code typ}: {@code jku}, {@code x5u}, {@code jwk}, {@code x5c}, {@code crit}... */
    FORBIDDEN_HEADER,
    /** {@code typ} is not {@code entitlement+jwt}. */
    WRONG_TYPE,
    /** No {@code kid}, a {@code kid} not in the key-id format, or no published key has it. */
    UNKNOWN_KID,
    /** The signature does not verify (or is an ES256 signature out of range). */
    BAD_SIGNATURE,
    /** A required claim is absent. */
    MISSING_CLAIM,
    /** A claim has the wrong type or form. */
    INVALID_CLAIM,
    /** {@code iss} is not this server's. */
    WRONG_ISSUER,
    /** {@code aud} does not name this audience. */
    WRONG_AUDIENCE,
    /** {@code exp} has passed by more than the leeway. */
    EXPIRED,
    /** {@code nbf} or {@code iat} is ahead by more than the leeway. */
    NOT_YET_VALID,
    /** The token is bound to another key than the one the client proved possession of. */
    BINDING_MISMATCH;

    /** Lower case, for metric tags and logs. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
