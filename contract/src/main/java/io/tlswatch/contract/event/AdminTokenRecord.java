package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * One admin API token: a row of the compacted table {@code tlswatch.admin-tokens.v1}, keyed by the token id
 * (docs/api.md, "Admin API"). The token itself is never stored, only its SHA-256 hash, as for license keys; a
 * {@code null} value deletes (revokes) the token.
 *
 * @param tokenId   the token's id, the public part of the token
 * @param name      who or what holds it; every change made with it records this name as the operator
 * @param scope     what it may do
 * @param tokenHash SHA-256 of the whole token, 64 lowercase hex digits
 * @param expiresAt when it stops working; absent for a token that does not expire
 * @param operator  who created it (the CLI's {@code user@host}); optional
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdminTokenRecord(
        String type,
        String id,
        Instant time,
        String source,
        String tokenId,
        String name,
        AdminScope scope,
        String tokenHash,
        Instant expiresAt,
        String operator) implements Event {

    public static final String TYPE = "tlswatch.admin-token/1";

    public AdminTokenRecord {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("tokenId", tokenId);
        Fields.text("name", name);
        Fields.required("scope", scope);
        Fields.sha256("tokenHash", Fields.required("tokenHash", tokenHash));
        expiresAt = Fields.millis(expiresAt);
        Fields.optionalText("operator", operator);
    }

    public static AdminTokenRecord of(Instant time, String source, String tokenId, String name, AdminScope scope,
                                      String tokenHash, Instant expiresAt, String operator) {
        return new AdminTokenRecord(TYPE, Fields.newId(), time, source, tokenId, name, scope, tokenHash, expiresAt,
                operator);
    }

    @Override
    public String key() {
        return tokenId;
    }
}
