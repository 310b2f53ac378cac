package io.tlswatch.client.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.util.HashSet;
import java.util.Collections;
import java.util.Arrays;
import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an entitlement token as docs/tokens.md specifies, the client's half: EdDSA or ES256 only, only
 * {@code alg}, {@code kid}, {@code typ} in the header, {@code typ entitlement+jwt}, the key from the server's
 * JWKS by {@code kid} (never from the token), the signature, {@code iss}, {@code aud}, {@code cid} equal to this
 * installation, {@code cnf.jkt} equal to this installation's key thumbprint, and the times with a leeway.
 */
public final class EntitlementVerifier {

    public static final Duration LEEWAY = Duration.ofSeconds(60);
    private static final int MAX_LENGTH = 8 * 1024;
    private static final Set<String> ALLOWED_HEADERS = Collections.unmodifiableSet(
            new HashSet<>(Arrays.asList("alg", "kid", "typ")));

    private final Jwks jwks;
    private final String issuer;
    private final String audience;
    private final String clientId;
    private final String thumbprint;
    private final Clock clock;

    public EntitlementVerifier(Jwks jwks, String issuer, String audience, String clientId, String thumbprint,
                               Clock clock) {
        this.jwks = jwks;
        this.issuer = issuer;
        this.audience = audience;
        this.clientId = clientId;
        this.thumbprint = thumbprint;
        this.clock = clock;
    }

    /**
     * @throws TokenException the token breaks a rule
     * @throws IOException    the JWKS was needed and could not be fetched
     */
    public VerifiedToken verify(String token) throws TokenException, IOException {
        return verify(token, true);
    }

    /**
     * Checks a token kept on disk against the JWKS kept with it, without the network and without its expiry
     * (an expired token is what grace runs on; the caller decides by its expiry).
     */
    public VerifiedToken verifyCached(String token) throws TokenException {
        try {
            return verify(token, false);
        } catch (IOException e) {
            throw new TokenException("unknown_kid", "the cached token's key is not in the cached JWKS", e);
        }
    }

    private VerifiedToken verify(String token, boolean online) throws TokenException, IOException {
        if (token == null || token.isEmpty() || token.length() > MAX_LENGTH) {
            throw new TokenException("malformed", "no token, or one over " + MAX_LENGTH + " characters");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenException("malformed", "the token does not parse: " + e.getMessage());
        }
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!JWSAlgorithm.EdDSA.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
            throw new TokenException("alg_not_allowed", "token algorithm " + alg + " is not EdDSA or ES256");
        }
        for (String name : header.getIncludedParams()) {
            if (!ALLOWED_HEADERS.contains(name)) {
                throw new TokenException("forbidden_header", "token header parameter '" + name + "' is not allowed");
            }
        }
        if (header.getType() == null || !header.getType().toString().toLowerCase().replace("application/", "")
                .equals("entitlement+jwt")) {
            throw new TokenException("wrong_type", "token typ is not entitlement+jwt");
        }
        String kid = header.getKeyID();
        if (kid == null || kid.isEmpty() || kid.length() > 128) {
            throw new TokenException("unknown_kid", "the token names no usable kid");
        }
        JWK key = (online ? jwks.find(kid) : jwks.findCached(kid)).orElseThrow(() -> new TokenException("unknown_kid",
                "no key " + kid + " in the server's JWKS"));
        try {
            if (!jwt.verify(verifierFor(alg, key))) {
                throw new TokenException("bad_signature", "the token's signature does not verify");
            }
        } catch (JOSEException e) {
            throw new TokenException("bad_signature", "the token's signature cannot be checked: " + e.getMessage(), e);
        }
        return checkClaims(token, kid, claims, online);
    }

    private static JWSVerifier verifierFor(JWSAlgorithm alg, JWK key) throws TokenException, JOSEException {
        if (JWSAlgorithm.EdDSA.equals(alg) && key instanceof OctetKeyPair
                && Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
            return new Ed25519Verifier(((OctetKeyPair) key).toPublicJWK());
        }
        if (JWSAlgorithm.ES256.equals(alg) && key instanceof ECKey && Curve.P_256.equals(((ECKey) key).getCurve())) {
            // Nimbus refuses r or s out of range (CVE-2022-21449) before the JDK sees the signature.
            return new ECDSAVerifier(((ECKey) key).toPublicJWK());
        }
        throw new TokenException("alg_not_allowed", "token algorithm " + alg + " does not fit key " + key.getKeyID());
    }

    private VerifiedToken checkClaims(String token, String kid, JWTClaimsSet claims, boolean checkExpiry)
            throws TokenException {
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenException("wrong_issuer", "token issuer " + claims.getIssuer() + " is not " + issuer);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new TokenException("wrong_audience", "token audience " + claims.getAudience() + " lacks " + audience);
        }
        if (!clientId.equals(text(claims, "cid"))) {
            throw new TokenException("wrong_client", "the token was issued to another client id");
        }
        Object cnf = claims.getClaim("cnf");
        if (!(cnf instanceof Map) || !thumbprint.equals(((Map<?, ?>) cnf).get("jkt"))) {
            throw new TokenException("binding_mismatch", "the token is not bound to this installation's key");
        }
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null) {
            throw new TokenException("missing_claim", "the token lacks exp or iat");
        }
        String licenseId = claims.getSubject();
        if (licenseId == null || licenseId.isEmpty()) {
            throw new TokenException("missing_claim", "the token lacks sub");
        }
        Instant now = clock.instant();
        if (checkExpiry && !now.isBefore(exp.toInstant().plus(LEEWAY))) {
            throw new TokenException("expired", "the token expired at " + exp.toInstant());
        }
        List<String> entitlements = new ArrayList<>();
        Object listed = claims.getClaim("entitlements");
        if (listed instanceof List) {
            for (Object entitlement : (List<?>) listed) {
                if (!(entitlement instanceof String)) {
                    throw new TokenException("invalid_claim", "entitlements must be strings");
                }
                entitlements.add((String) entitlement);
            }
        } else if (listed != null) {
            throw new TokenException("invalid_claim", "entitlements must be an array");
        }
        return new VerifiedToken(token, kid, licenseId, text(claims, "cid"), entitlements, iat.toInstant(),
                exp.toInstant());
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String ? (String) value : null;
    }
}
