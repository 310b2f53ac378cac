package io.tlswatch.validator.token;

import java.util.Objects;

/** The outcome of verifying an entitlement token: {@link Verified} or {@link Rejected}, never an exception. */
public sealed interface TokenVerification {

    /** The token is genuine, current and for this audience. */
    record Verified(EntitlementClaims claims, String kid) implements TokenVerification {
        public Verified {
            Objects.requireNonNull(claims, "claims");
            Objects.requireNonNull(kid, "kid");
        }
    }

    /**
     * The token was refused.
     *
     * @param reason why, from a bounded set
     * @param detail a short explanation for logs; input echoed in it is truncated and printable
     */
    record Rejected(TokenRejection reason, String detail) implements TokenVerification {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    default boolean verified() {
        return this instanceof Verified;
    }
}
