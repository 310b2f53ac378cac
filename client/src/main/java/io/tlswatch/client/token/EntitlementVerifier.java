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

import java.io.IOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an entitlement token as docs/tokens.md specifies, the client's half: EdDSA or ES256 only, only
 * {@code alg}, {@code kid}, {@code typ} in the header, {@code typ entitlement+jwt}, the key from the server's
 * JWKS by {@code kid} (never from the token), the signature, {@code iss}, {@code aud}, {@code cid} equal to this
 * installation, the binding, and the times with a leeway. The binding is {@code cnf.jkt} equal to this
 * installation's key thumbprint (DPoP), or {@code cnf.x5t#S256} (RFC 8705) equal to the thumbprint of the client
 * certificate this client presented on the connection the token came over: a validator that asks for client
 * certificates binds the token to the certificate rather than to the DPoP key.
 */
public final class EntitlementVerifier {

    public static final Duration LEEWAY = Duration.ofSeconds(60);
    /** RFC 8705 §3.1: the member of {@code cnf} for a certificate-bound token. */
    public static final String CERTIFICATE_THUMBPRINT = "x5t#S256";
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
        return verify(token, null);
    }

    /**
     * @param certificateThumbprint the {@code x5t#S256} of the client certificate presented on the connection that
     *                              brought the token, or {@code null} when none was
     * @throws TokenException the token breaks a rule
     * @throws IOException    the JWKS was needed and could not be fetched
     */
    public VerifiedToken verify(String token, String certificateThumbprint) throws TokenException, IOException {
        return verify(token, certificateThumbprint, true);
    }

    /**
     * Checks a token kept on disk against the JWKS kept with it, without the network and without its expiry
     * (an expired token is what grace runs on; the caller decides by its expiry).
     */
    public VerifiedToken verifyCached(String token) throws TokenException {
        return verifyCached(token, null);
    }

    /** As {@link #verifyCached(String)}, for a token that came over a connection presenting this certificate. */
    public VerifiedToken verifyCached(String token, String certificateThumbprint) throws TokenException {
        try {
            return verify(token, certificateThumbprint, false);
        } catch (IOException e) {
            throw new TokenException("unknown_kid", "the cached token's key is not in the cached JWKS", e);
        }
    }

    private VerifiedToken verify(String token, String certificateThumbprint, boolean online)
            throws TokenException, IOException {
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
        return checkClaims(token, kid, claims, certificateThumbprint, online);
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

    private VerifiedToken checkClaims(String token, String kid, JWTClaimsSet claims, String certificateThumbprint,
                                      boolean online) throws TokenException {
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenException("wrong_issuer", "token issuer " + claims.getIssuer() + " is not " + issuer);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw new TokenException("wrong_audience", "token audience " + claims.getAudience() + " lacks " + audience);
        }
        if (!clientId.equals(text(claims, "cid"))) {
            throw new TokenException("wrong_client", "the token was issued to another client id");
        }
        String boundCertificate = binding(claims.getClaim("cnf"), certificateThumbprint);
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
        // Online, the token was issued a moment ago: refused for its times, it says this client's clock is off.
        if (online && !now.isBefore(exp.toInstant().plus(LEEWAY))) {
            throw new TokenException("expired", "the token expired at " + exp.toInstant() + " by this client's clock, "
                    + now, Duration.between(iat.toInstant(), now));
        }
        Date nbf = claims.getNotBeforeTime();
        Instant validFrom = nbf != null && nbf.after(iat) ? nbf.toInstant() : iat.toInstant();
        // Online only: a cached token from "the future" means the clock was set back since, and grace still holds.
        if (online && now.plus(LEEWAY).isBefore(validFrom)) {
            throw new TokenException("not_yet_valid", "the token is valid from " + validFrom + ", and this client's "
                    + "clock says " + now, Duration.between(iat.toInstant(), now));
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
                exp.toInstant(), boundCertificate);
    }

    /**
     * Checks {@code cnf}: exactly one of {@code jkt} (this installation's key) and {@code x5t#S256} (the client
     * certificate presented).
     *
     * @return the certificate thumbprint the token is bound to, {@code null} for a key-bound token
     */
    private String binding(Object cnf, String certificateThumbprint) throws TokenException {
        if (!(cnf instanceof Map) || ((Map<?, ?>) cnf).size() != 1) {
            throw new TokenException("binding_mismatch", "the token's cnf names no single key or certificate");
        }
        Map<?, ?> confirmation = (Map<?, ?>) cnf;
        if (confirmation.containsKey("jkt")) {
            if (!thumbprint.equals(confirmation.get("jkt"))) {
                throw new TokenException("binding_mismatch", "the token is not bound to this installation's key");
            }
            return null;
        }
        Object x5t = confirmation.get(CERTIFICATE_THUMBPRINT);
        if (x5t == null) {
            throw new TokenException("binding_mismatch", "the token's cnf is neither jkt nor x5t#S256");
        }
        if (certificateThumbprint == null) {
            throw new TokenException("binding_mismatch",
                    "the token is bound to a client certificate, and this client presented none");
        }
        if (!certificateThumbprint.equals(x5t)) {
            throw new TokenException("binding_mismatch",
                    "the token is bound to another client certificate than the one this client presented");
        }
        return certificateThumbprint;
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String ? (String) value : null;
    }
}
