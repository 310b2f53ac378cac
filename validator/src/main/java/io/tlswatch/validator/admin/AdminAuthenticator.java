package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.AdminTokenRecord;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns an {@code Authorization: Bearer} header into the token's {@link AdminPrincipal}, or says why not. The
 * token is looked up by its public id and its hash compared in constant time; the token itself is neither kept nor
 * logged. Thread-safe when the lookup is.
 */
public final class AdminAuthenticator {

    /** Why a request was not authenticated: the {@code reason} of {@code tlswatch.admin.auth.failures}. */
    public enum Failure {
        /** No {@code Authorization: Bearer} header. */
        MISSING,
        /** Not a {@code tlswatch_at_} token. */
        MALFORMED,
        /** No such token, or a wrong secret (revoked tokens are deleted, so they end here too). */
        UNKNOWN,
        /** The token's {@code expiresAt} has passed. */
        EXPIRED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The principal, or the failure. */
    public record Result(AdminPrincipal principal, Failure failure) {
    }

    private static final String BEARER = "bearer ";

    private final Function<String, Optional<AdminTokenRecord>> tokens;
    private final Clock clock;

    /** @param tokens the token rows by token id (the admin-token table) */
    public AdminAuthenticator(Function<String, Optional<AdminTokenRecord>> tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public Result authenticate(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new Result(null, Failure.MISSING);
        }
        String token = authorization.substring(BEARER.length()).trim();
        Optional<String> tokenId = AdminTokenFormat.tokenIdOf(token);
        if (tokenId.isEmpty()) {
            return new Result(null, Failure.MALFORMED);
        }
        Optional<AdminTokenRecord> row = tokens.apply(tokenId.get());
        if (row.isEmpty() || !AdminTokenFormat.sameHash(AdminTokenFormat.hash(token), row.get().tokenHash())) {
            return new Result(null, Failure.UNKNOWN);
        }
        AdminTokenRecord record = row.get();
        if (record.expiresAt() != null && !clock.instant().isBefore(record.expiresAt())) {
            return new Result(null, Failure.EXPIRED);
        }
        return new Result(new AdminPrincipal(record.tokenId(), record.name(), record.scope()), null);
    }
}
