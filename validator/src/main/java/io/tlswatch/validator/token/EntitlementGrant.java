package io.tlswatch.validator.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a token is issued for: the license ({@code sub}), the client installation ({@code cid}), what it may
 * use ({@code entitlements}) and the key it is bound to ({@code cnf}).
 *
 * @param licenseId    the license id, written as {@code sub}
 * @param clientId     the client id, written as {@code cid}
 * @param entitlements the license's entitlements, in order
 * @param confirmation the client key the token is bound to
 * @param notAfter     the license's not-after, or {@code null}: the token never outlives its license
 * @param lifetime     how long the token should live (the license's resolved {@code tokenLifetime}), or
 *                     {@code null} for the issuer's {@link TokenSettings#lifetime()}; never more than that
 *                     ({@link TokenIssuer#issue})
 */
public record EntitlementGrant(String licenseId, String clientId, List<String> entitlements,
                               Confirmation confirmation, Instant notAfter, Duration lifetime) {

    public EntitlementGrant {
        requireText(licenseId, "licenseId");
        requireText(clientId, "clientId");
        entitlements = List.copyOf(Objects.requireNonNull(entitlements, "entitlements"));
        Objects.requireNonNull(confirmation, "confirmation: every entitlement token is bound to a client key");
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new IllegalArgumentException("lifetime must be positive, was " + lifetime);
        }
    }

    public EntitlementGrant(String licenseId, String clientId, List<String> entitlements, Confirmation confirmation,
                            Instant notAfter) {
        this(licenseId, clientId, entitlements, confirmation, notAfter, null);
    }

    public EntitlementGrant(String licenseId, String clientId, List<String> entitlements, Confirmation confirmation) {
        this(licenseId, clientId, entitlements, confirmation, null, null);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
