package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.AdminScope;
import io.tlswatch.contract.event.AdminTokenRecord;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AdminAuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private final Map<String, AdminTokenRecord> rows = new HashMap<>();
    private final AdminAuthenticator authenticator = new AdminAuthenticator(id -> Optional.ofNullable(rows.get(id)),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final AdminTokenFormat format = new AdminTokenFormat(new SecureRandom());

    private String stored(AdminScope scope, Instant expiresAt) {
        AdminTokenFormat.NewToken token = format.generate();
        rows.put(token.tokenId(), AdminTokenRecord.of(NOW, "t", token.tokenId(), "ops", scope,
                AdminTokenFormat.hash(token.token()), expiresAt, null));
        return token.token();
    }

    @Test
    void aStoredTokenIsItsNameAndScope() {
        String token = stored(AdminScope.WRITE, NOW.plusSeconds(1));

        AdminAuthenticator.Result result = authenticator.authenticate("bearer " + token);

        assertThat(result.failure()).isNull();
        assertThat(result.principal().name()).isEqualTo("ops");
        assertThat(result.principal().scope()).isEqualTo(AdminScope.WRITE);
        assertThat(result.principal().tokenId()).isEqualTo(AdminTokenFormat.tokenIdOf(token).orElseThrow());
    }

    @Test
    void eachWayOfFailingHasItsReason() {
        String expired = stored(AdminScope.READ, NOW);
        String known = stored(AdminScope.READ, null);
        String wrongSecret = known.substring(0, known.length() - 1) + (known.endsWith("A") ? "B" : "A");

        assertThat(authenticator.authenticate(null).failure()).isEqualTo(AdminAuthenticator.Failure.MISSING);
        assertThat(authenticator.authenticate("Basic dXNlcjpwYXNz").failure())
                .isEqualTo(AdminAuthenticator.Failure.MISSING);
        assertThat(authenticator.authenticate("Bearer TLSW-ABC").failure())
                .isEqualTo(AdminAuthenticator.Failure.MALFORMED);
        assertThat(authenticator.authenticate("Bearer " + wrongSecret).failure())
                .isEqualTo(AdminAuthenticator.Failure.UNKNOWN);
        assertThat(authenticator.authenticate("Bearer " + format.generate().token()).failure())
                .isEqualTo(AdminAuthenticator.Failure.UNKNOWN);
        assertThat(authenticator.authenticate("Bearer " + expired).failure())
                .isEqualTo(AdminAuthenticator.Failure.EXPIRED);
    }
}
