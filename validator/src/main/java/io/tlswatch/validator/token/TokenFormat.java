package io.tlswatch.validator.token;

import java.util.Set;

/** The names the entitlement token format is made of (docs/tokens.md, "Token format"). */
public final class TokenFormat {

    /**
     * The JWS {@code typ}: explicit typing (RFC 8725 §3.11), so that no other JWT this server or its keys
     * might sign, and no DPoP proof, can pass for an entitlement token.
     */
    public static final String TYPE = "entitlement+jwt";

    /** The client id claim. */
    public static final String CLIENT_ID = "cid";
    /** The entitlements claim: an array of strings. */
    public static final String ENTITLEMENTS = "entitlements";
    /** The confirmation claim (RFC 7800): {@code {"jkt": ...}} or {@code {"x5t#S256": ...}}. */
    public static final String CONFIRMATION = "cnf";

    /** The only header parameters a token may carry; everything else (jku, x5u, jwk, x5c, crit...) is refused. */
    static final Set<String> HEADER_PARAMETERS = Set.of("alg", "kid", "typ");

    private TokenFormat() {
    }
}
