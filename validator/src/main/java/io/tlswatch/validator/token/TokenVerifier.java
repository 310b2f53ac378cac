package io.tlswatch.validator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import io.tlswatch.validator.token.ClaimReader.BadClaim;
import io.tlswatch.validator.token.TokenVerification.Rejected;
import io.tlswatch.validator.token.TokenVerification.Verified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies entitlement tokens this server issued, strictly, and in an order that lets nothing unauthenticated
 * matter more than it must:
 * <ol>
 *   <li>length ({@link TokenSettings#maxTokenLength()}), then JSON nesting depth, before parsing;</li>
 *   <li>header: {@code alg} one this server signs with (never {@code none}, never an HMAC), no parameter but
 *       {@code alg}, {@code kid}, {@code typ} (so never {@code jku}, {@code x5u}, {@code jwk}, {@code x5c}:
 *       the key comes from this server's ring only), {@code typ} {@code entitlement+jwt}, a {@code kid} in
 *       key-id format that names a published key, whose algorithm is the {@code alg};</li>
 *   <li>signature (ES256 range-checked first);</li>
 *   <li>claims: {@code iss}, {@code aud}, {@code exp}/{@code nbf}/{@code iat} within {@link TokenSettings#leeway()},
 *       and {@code sub}, {@code cid}, {@code jti}, {@code entitlements}, {@code cnf} present and well-formed.</li>
 * </ol>
 * The result is a {@link TokenVerification}; no input makes it throw. Thread-safe.
 */
public final class TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);

    private final SigningKeys keys;
    private final TokenSettings settings;
    private final Clock clock;

    public TokenVerifier(SigningKeys keys, TokenSettings settings, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Verifies {@code token}; never throws. */
    public TokenVerification verify(String token) {
        try {
            return verifyUnguarded(token);
        } catch (RuntimeException e) {
            // A bug or a library surprise must not turn into an accepted token or a 500 with a stack trace.
            LOG.warn("Token verification failed unexpectedly: {}", e.toString());
            return new Rejected(TokenRejection.MALFORMED, "token could not be processed");
        }
    }

    /**
     * Verifies {@code token} and that it is bound to {@code presented}, the key the client has just proved
     * possession of (DPoP key thumbprint or client certificate thumbprint).
     */
    public TokenVerification verify(String token, Confirmation presented) {
        TokenVerification result = verify(token);
        if (result instanceof Verified verified) {
            Optional<Rejected> mismatch = checkBinding(verified.claims(), presented);
            if (mismatch.isPresent()) {
                return mismatch.get();
            }
        }
        return result;
    }

    /**
     * Whether a verified token is bound to the key the client proved possession of. A proof signed by any other
     * key, or a certificate other than the bound one, is {@link TokenRejection#BINDING_MISMATCH}.
     *
     * @param presented the key the client proved possession of: {@link DpopVerification.Verified#confirmation()}
     *                  or {@link Confirmation#certificate} of the TLS client certificate; {@code null} if none
     * @return empty when the token is bound to {@code presented}, else the rejection
     */
    public Optional<Rejected> checkBinding(EntitlementClaims claims, Confirmation presented) {
        Objects.requireNonNull(claims, "claims");
        if (presented == null) {
            return Optional.of(new Rejected(TokenRejection.BINDING_MISMATCH, "no proof of possession presented"));
        }
        Confirmation bound = claims.confirmation();
        if (!bound.member().equals(presented.member())) {
            return Optional.of(new Rejected(TokenRejection.BINDING_MISMATCH,
                    "token is bound with cnf." + bound.member() + ", the proof is by " + presented.member()));
        }
        if (!bound.value().equals(presented.value())) {
            return Optional.of(new Rejected(TokenRejection.BINDING_MISMATCH,
                    "the proof's " + presented.member() + " differs from the token's cnf." + bound.member()));
        }
        return Optional.empty();
    }

    /** {@link #checkBinding(EntitlementClaims, Confirmation)} for a DPoP key thumbprint ({@code jkt}). */
    public Optional<Rejected> checkBinding(EntitlementClaims claims, String jkt) {
        if (jkt == null || !Confirmation.SHA256_BASE64URL.matcher(jkt).matches()) {
            return Optional.of(new Rejected(TokenRejection.BINDING_MISMATCH, "no valid DPoP key thumbprint presented"));
        }
        return checkBinding(claims, Confirmation.jkt(jkt));
    }

    public TokenSettings settings() {
        return settings;
    }

    private TokenVerification verifyUnguarded(String token) {
        CompactJws.Parsed parsed = CompactJws.parse(token, settings.maxTokenLength());
        if (parsed instanceof CompactJws.Refused refused) {
            return new Rejected(switch (refused.problem()) {
                case TOO_LARGE -> TokenRejection.TOO_LARGE;
                case TOO_DEEP -> TokenRejection.TOO_DEEP;
                case MALFORMED -> TokenRejection.MALFORMED;
            }, refused.detail());
        }
        CompactJws jws = ((CompactJws.Ok) parsed).jws();
        ObjectNode header = jws.header();

        JsonNode algNode = header.get("alg");
        if (algNode == null || !algNode.isTextual()) {
            return new Rejected(TokenRejection.ALG_NOT_ALLOWED, "header has no alg");
        }
        String alg = algNode.textValue();
        Optional<SigningAlgorithm> algorithm = SigningAlgorithm.fromJws(alg);
        if (algorithm.isEmpty()) {
            return new Rejected(TokenRejection.ALG_NOT_ALLOWED, "alg " + Details.echo(alg)
                    + " is not accepted; tokens are signed with EdDSA or ES256");
        }
        for (Iterator<String> names = header.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!TokenFormat.HEADER_PARAMETERS.contains(name)) {
                return new Rejected(TokenRejection.FORBIDDEN_HEADER, "header parameter " + Details.echo(name)
                        + " is not accepted; the key is chosen by kid among this server's keys only");
            }
        }
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual() || !isEntitlementType(typ.textValue())) {
            return new Rejected(TokenRejection.WRONG_TYPE, "typ must be " + TokenFormat.TYPE);
        }
        JsonNode kidNode = header.get("kid");
        if (kidNode == null || !kidNode.isTextual()) {
            return new Rejected(TokenRejection.UNKNOWN_KID, "header has no kid");
        }
        String kid = kidNode.textValue();
        if (!SigningKey.KID_FORMAT.matcher(kid).matches()) {
            // Not echoed: a kid that is not in key-id format is an injection attempt, not a typo.
            return new Rejected(TokenRejection.UNKNOWN_KID, "kid is not in key-id format");
        }
        Optional<SigningKey> found = keys.find(kid);
        if (found.isEmpty()) {
            return new Rejected(TokenRejection.UNKNOWN_KID, "no published key has kid " + kid);
        }
        SigningKey key = found.get();
        if (key.algorithm() != algorithm.get()) {
            return new Rejected(TokenRejection.ALG_NOT_ALLOWED, "alg " + alg + " is not the algorithm of key " + kid);
        }

        if (key.algorithm() == SigningAlgorithm.ES256) {
            Optional<String> problem = EcdsaSignatures.es256Problem(jws.signature());
            if (problem.isPresent()) {
                return new Rejected(TokenRejection.BAD_SIGNATURE, problem.get());
            }
        }
        if (!signatureVerifies(key, jws)) {
            return new Rejected(TokenRejection.BAD_SIGNATURE, "signature does not verify with key " + kid);
        }
        return checkClaims(jws.payload(), kid);
    }

    private static boolean isEntitlementType(String typ) {
        // RFC 7515 §4.1.9: media type names are case-insensitive and "application/" may be left out.
        String lower = typ.toLowerCase(Locale.ROOT);
        return lower.equals(TokenFormat.TYPE) || lower.equals("application/" + TokenFormat.TYPE);
    }

    private static boolean signatureVerifies(SigningKey key, CompactJws jws) {
        try {
            return key.verify(new JWSHeader(key.algorithm().jws()),
                    jws.signingInput().getBytes(StandardCharsets.US_ASCII), Base64URL.encode(jws.signature()));
        } catch (JOSEException e) {
            return false;
        }
    }

    private TokenVerification checkClaims(ObjectNode payload, String kid) {
        ClaimReader claims = new ClaimReader(payload);
        try {
            String issuer = claims.text("iss");
            if (!issuer.equals(settings.issuer())) {
                return new Rejected(TokenRejection.WRONG_ISSUER, "iss " + Details.echo(issuer) + " is not "
                        + settings.issuer());
            }
            List<String> audience = claims.textOrTexts("aud");
            if (!audience.contains(settings.audience())) {
                return new Rejected(TokenRejection.WRONG_AUDIENCE, "aud does not name " + settings.audience());
            }
            Instant now = clock.instant();
            Instant expiresAt = claims.date("exp");
            if (!now.isBefore(expiresAt.plus(settings.leeway()))) {
                return new Rejected(TokenRejection.EXPIRED, "expired at " + expiresAt + ", now " + now
                        + ", leeway " + settings.leeway().toSeconds() + " s");
            }
            Instant issuedAt = claims.date("iat");
            Instant notBefore = claims.has("nbf") ? claims.date("nbf") : null;
            Instant latestStart = notBefore != null && notBefore.isAfter(issuedAt) ? notBefore : issuedAt;
            if (now.plus(settings.leeway()).isBefore(latestStart)) {
                return new Rejected(TokenRejection.NOT_YET_VALID, "valid from " + latestStart + ", now " + now
                        + ", leeway " + settings.leeway().toSeconds() + " s");
            }
            String licenseId = claims.text("sub");
            String clientId = claims.text(TokenFormat.CLIENT_ID);
            String jti = claims.text("jti");
            List<String> entitlements = claims.texts(TokenFormat.ENTITLEMENTS);
            Confirmation confirmation = confirmation(claims.object(TokenFormat.CONFIRMATION));
            return new Verified(new EntitlementClaims(issuer, licenseId, audience, clientId, entitlements, issuedAt,
                    notBefore, expiresAt, jti, confirmation), kid);
        } catch (BadClaim e) {
            return new Rejected(e.missing() ? TokenRejection.MISSING_CLAIM : TokenRejection.INVALID_CLAIM,
                    e.getMessage());
        }
    }

    /** Exactly one of {@code jkt} and {@code x5t#S256}, a base64url SHA-256 digest. */
    private static Confirmation confirmation(ObjectNode cnf) throws BadClaim {
        if (cnf.size() != 1) {
            throw new BadClaim("cnf must hold exactly one of jkt and x5t#S256", false);
        }
        ClaimReader members = new ClaimReader(cnf);
        try {
            if (cnf.has("jkt")) {
                return Confirmation.jkt(members.text("jkt"));
            }
            if (cnf.has("x5t#S256")) {
                return new Confirmation.CertificateThumbprint(members.text("x5t#S256"));
            }
        } catch (IllegalArgumentException e) {
            throw new BadClaim("cnf: " + e.getMessage(), false);
        }
        throw new BadClaim("cnf must hold exactly one of jkt and x5t#S256", false);
    }
}
