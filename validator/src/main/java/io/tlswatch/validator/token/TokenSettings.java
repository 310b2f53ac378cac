package io.tlswatch.validator.token;

import java.time.Duration;
import java.util.Objects;

/**
 * What the issuer writes into, and the verifier demands of, an entitlement token.
 *
 * @param issuer         the {@code iss} claim, e.g. {@code https://license.example.com}
 * @param audience       the {@code aud} claim, e.g. {@code tlswatch-client}
 * @param lifetime       from {@code iat} to {@code exp}; 15 minutes by default, at most 24 hours
 * @param leeway         clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}; 60 seconds by default,
 *                       at most 5 minutes
 * @param maxTokenLength the longest token, in characters, looked at before anything is parsed; 8 KiB by default
 */
public record TokenSettings(String issuer, String audience, Duration lifetime, Duration leeway, int maxTokenLength) {

    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;

    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    static final Duration MAX_LEEWAY = Duration.ofMinutes(5);

    public TokenSettings {
        requireText(issuer, "issuer");
        requireText(audience, "audience");
        Objects.requireNonNull(lifetime, "lifetime");
        Objects.requireNonNull(leeway, "leeway");
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("token lifetime must be between 1 second and " + MAX_LIFETIME
                    + ", got " + lifetime);
        }
        if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0) {
            throw new IllegalArgumentException("token leeway must be between 0 and " + MAX_LEEWAY + ", got " + leeway);
        }
        if (maxTokenLength < 1024 || maxTokenLength > 64 * 1024) {
            throw new IllegalArgumentException("maximum token length must be between 1024 and 65536, got "
                    + maxTokenLength);
        }
    }

    /** The defaults: 15 minute tokens, 60 seconds leeway, 8 KiB at most. */
    public static TokenSettings defaults(String issuer, String audience) {
        return new TokenSettings(issuer, audience, DEFAULT_LIFETIME, DEFAULT_LEEWAY, DEFAULT_MAX_TOKEN_LENGTH);
    }

    public TokenSettings withLifetime(Duration newLifetime) {
        return new TokenSettings(issuer, audience, newLifetime, leeway, maxTokenLength);
    }

    public TokenSettings withLeeway(Duration newLeeway) {
        return new TokenSettings(issuer, audience, lifetime, newLeeway, maxTokenLength);
    }

    /**
     * How long a retired signing key must stay published: the last token it signed lives {@code lifetime} and
     * is accepted {@code leeway} past its {@code exp}. Pass this to {@link SigningKeys}.
     */
    public Duration keyRetention() {
        return lifetime.plus(leeway);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("token " + name + " must not be blank");
        }
    }
}
