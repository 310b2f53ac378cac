package io.tlswatch.validator.token;

import io.tlswatch.contract.testing.MutableClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A key ring, issuer and verifier on one hand-moved clock, plus hand-made tokens signed with the real key. */
final class TokenFixture {

    static final String ISSUER = "https://license.tlswatch.test";
    static final String AUDIENCE = "tlswatch-client";
    /** RFC 7638 §3.1's example thumbprint: any well-formed jkt will do as a binding. */
    static final String JKT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    final MutableClock clock = MutableClock.at("2025-03-14T09:00:00Z");
    final TokenSettings settings = TokenSettings.defaults(ISSUER, AUDIENCE);
    final SigningKeys keys;
    final TokenIssuer issuer;
    final TokenVerifier verifier;

    TokenFixture(SigningAlgorithm algorithm) {
        this.keys = SigningKeys.generate(algorithm, settings.keyRetention(), clock);
        this.issuer = new TokenIssuer(keys, settings, clock);
        this.verifier = new TokenVerifier(keys, settings, clock);
    }

    static EntitlementGrant grant() {
        return new EntitlementGrant("lic-42", "client-7", List.of("reports", "export"), Confirmation.jkt(JKT));
    }

    IssuedToken issue() {
        return issuer.issue(grant());
    }

    /** The header the issuer writes, as a mutable JSON object. */
    ObjectNode header() {
        ObjectNode header = MAPPER.createObjectNode();
        header.put("alg", keys.current().algorithm().jws().getName());
        header.put("kid", keys.current().kid());
        header.put("typ", TokenFormat.TYPE);
        return header;
    }

    /** The claims the issuer writes now, as a mutable JSON object. */
    ObjectNode claims() {
        long now = clock.instant().getEpochSecond();
        ObjectNode claims = MAPPER.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", "lic-42");
        claims.put("aud", AUDIENCE);
        claims.put("cid", "client-7");
        claims.putArray("entitlements").add("reports");
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + Duration.ofMinutes(15).toSeconds());
        claims.put("jti", "jti-1");
        claims.putObject("cnf").put("jkt", JKT);
        return claims;
    }

    /** A token with the issuer's header and claims as changed by the two edits, signed with the current key. */
    String signed(Consumer<ObjectNode> headerEdit, Consumer<ObjectNode> claimsEdit) {
        ObjectNode header = header();
        headerEdit.accept(header);
        ObjectNode claims = claims();
        claimsEdit.accept(claims);
        return signed(header.toString(), claims.toString());
    }

    String signedClaims(Consumer<ObjectNode> claimsEdit) {
        return signed(header -> { }, claimsEdit);
    }

    String signedHeader(Consumer<ObjectNode> headerEdit) {
        return signed(headerEdit, claims -> { });
    }

    /** Exactly these bytes, signed with the current key. */
    String signed(String headerJson, String claimsJson) {
        SigningKey key = keys.current();
        return Jose.sign(headerJson, claimsJson, key.algorithm().jws(), key.signer());
    }
}
