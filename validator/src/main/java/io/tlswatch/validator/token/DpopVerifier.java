package io.tlswatch.validator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.tlswatch.tlsserver.crypto.EcdsaProvider;
import io.tlswatch.validator.token.ClaimReader.BadClaim;
import io.tlswatch.validator.token.DpopVerification.Rejected;
import io.tlswatch.validator.token.DpopVerification.Verified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Checks DPoP proofs (RFC 9449 §4.3) for one request: the {@code DPoP} header's JWT must be typed
 * {@code dpop+jwt}, signed with an accepted asymmetric algorithm by the public key in its own {@code jwk}
 * header, for this method ({@code htm}) and URI ({@code htu}), issued within the {@code iat} window, with a
 * {@code jti} not used before (within the window, by the same key), and, when an access token comes with it,
 * the token's hash in {@code ath}. Server-provided nonces are not used.
 *
 * <p>On success the proof key's RFC 7638 thumbprint ({@code jkt}) is returned: the token issued for the
 * request is bound to it, or a presented token is checked against it ({@link TokenVerifier#checkBinding}).
 * No input makes it throw. Thread-safe.
 */
public final class DpopVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(DpopVerifier.class);

    /** The JWS {@code typ} of a DPoP proof. */
    public static final String TYPE = "dpop+jwt";

    private static final int ED25519_KEY_LENGTH = 32;

    /** Header parameters that would fetch or name a key elsewhere, and crit (no extension is understood). */
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jku", "x5u", "x5c", "crit");

    /** JWK members that carry private or symmetric key material. */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /** The JWK members a public OKP, EC or RSA key consists of. */
    private static final List<String> PUBLIC_KEY_MEMBERS = List.of("kty", "crv", "x", "y", "n", "e");

    private static final int MAX_JTI_LENGTH = 256;
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 8192;

    private final DpopSettings settings;
    private final ReplayCache replayCache;
    private final Clock clock;
    private final AtomicBoolean cacheFull = new AtomicBoolean();
    /** Read here so that the provider is built with the verifier at start-up, not on the first proof. */
    private final Provider ecdsaProvider = EcdsaProvider.VERIFYING;

    public DpopVerifier(DpopSettings settings, ReplayCache replayCache, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.replayCache = Objects.requireNonNull(replayCache, "replayCache");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Checks the values of every {@code DPoP} header of a request: none is {@link DpopRejection#MISSING}, more
     * than one {@link DpopRejection#MULTIPLE}.
     *
     * @param requestUri the URI the request was made to, as the client addressed it: this server's public
     *                   scheme and authority and the request path (query and fragment are ignored)
     * @param accessToken the access token presented with the proof, or {@code null}
     */
    public DpopVerification verify(List<String> dpopHeaders, String method, URI requestUri, String accessToken) {
        if (dpopHeaders == null || dpopHeaders.isEmpty()) {
            return new Rejected(DpopRejection.MISSING, "no DPoP header");
        }
        if (dpopHeaders.size() > 1) {
            return new Rejected(DpopRejection.MULTIPLE, dpopHeaders.size() + " DPoP headers; one is allowed");
        }
        return verify(dpopHeaders.get(0), method, requestUri, accessToken);
    }

    /** Checks a proof for a request that presents no access token. */
    public DpopVerification verify(String proof, String method, URI requestUri) {
        return verify(proof, method, requestUri, null);
    }

    /**
     * Checks one proof.
     *
     * @param proof       the {@code DPoP} header value, or {@code null} when there was none
     * @param method      the request method, e.g. {@code POST}
     * @param requestUri  see {@link #verify(List, String, URI, String)}
     * @param accessToken the access token presented with the proof, or {@code null}: when present the proof
     *                    must carry its hash in {@code ath}
     */
    public DpopVerification verify(String proof, String method, URI requestUri, String accessToken) {
        try {
            return verifyUnguarded(proof, method, requestUri, accessToken);
        } catch (RuntimeException e) {
            // A bug or a library surprise must not turn into an accepted proof or a 500 with a stack trace.
            LOG.warn("DPoP proof verification failed unexpectedly: {}", e.toString());
            return new Rejected(DpopRejection.MALFORMED, "proof could not be processed");
        }
    }

    public DpopSettings settings() {
        return settings;
    }

    private DpopVerification verifyUnguarded(String proof, String method, URI requestUri, String accessToken) {
        if (proof == null || proof.isBlank()) {
            return new Rejected(DpopRejection.MISSING, "no DPoP proof");
        }
        CompactJws.Parsed parsed = CompactJws.parse(proof, settings.maxProofLength());
        if (parsed instanceof CompactJws.Refused refused) {
            return new Rejected(switch (refused.problem()) {
                case TOO_LARGE -> DpopRejection.TOO_LARGE;
                case TOO_DEEP -> DpopRejection.TOO_DEEP;
                case MALFORMED -> DpopRejection.MALFORMED;
            }, refused.detail());
        }
        CompactJws jws = ((CompactJws.Ok) parsed).jws();
        ObjectNode header = jws.header();

        JsonNode algNode = header.get("alg");
        if (algNode == null || !algNode.isTextual() || !settings.algorithms().contains(algNode.textValue())) {
            return new Rejected(DpopRejection.ALG_NOT_ALLOWED, "alg "
                    + (algNode == null ? "missing" : Details.echo(algNode.asText()))
                    + " is not accepted; accepted: " + settings.algorithms().stream().sorted().toList());
        }
        JWSAlgorithm alg = JWSAlgorithm.parse(algNode.textValue());
        for (String forbidden : FORBIDDEN_HEADERS) {
            if (header.has(forbidden)) {
                return new Rejected(DpopRejection.FORBIDDEN_HEADER, "header parameter " + forbidden
                        + " is not accepted; the key is the jwk header");
            }
        }
        JsonNode typ = header.get("typ");
        if (typ == null || !typ.isTextual() || !isDpopType(typ.textValue())) {
            return new Rejected(DpopRejection.WRONG_TYPE, "typ must be " + TYPE);
        }
        JsonNode jwkNode = header.get("jwk");
        if (jwkNode == null || !jwkNode.isObject()) {
            return new Rejected(DpopRejection.INVALID_KEY, "no jwk header");
        }
        for (String member : PRIVATE_MEMBERS) {
            if (jwkNode.has(member)) {
                return new Rejected(DpopRejection.PRIVATE_KEY_IN_HEADER, "the jwk header holds private or "
                        + "symmetric key material (" + member + "); it must be the public key only");
            }
        }
        JWK jwk;
        try {
            jwk = JWK.parse(publicKeyMembers((ObjectNode) jwkNode).toString());
        } catch (ParseException | RuntimeException e) {
            return new Rejected(DpopRejection.INVALID_KEY, "jwk header is not a valid JWK: "
                    + Details.echo(e.getMessage()));
        }
        if (jwk.isPrivate()) {
            return new Rejected(DpopRejection.PRIVATE_KEY_IN_HEADER, "the jwk header holds a private key");
        }
        Optional<String> keyProblem = keyProblem(alg, jwk);
        if (keyProblem.isPresent()) {
            return new Rejected(DpopRejection.KEY_NOT_ALLOWED, keyProblem.get());
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            Optional<String> problem = EcdsaSignatures.es256Problem(jws.signature());
            if (problem.isPresent()) {
                return new Rejected(DpopRejection.BAD_SIGNATURE, problem.get());
            }
        }
        if (!signatureVerifies(alg, jwk, jws)) {
            return new Rejected(DpopRejection.BAD_SIGNATURE, "signature does not verify with the jwk header");
        }
        return checkClaims(jws.payload(), jwk, method, requestUri, accessToken);
    }

    private DpopVerification checkClaims(ObjectNode payload, JWK jwk, String method, URI requestUri,
                                         String accessToken) {
        ClaimReader claims = new ClaimReader(payload);
        Instant now = clock.instant();
        Duration skew = null;
        try {
            Instant issuedAt = claims.date("iat");
            skew = Duration.between(now, issuedAt);
            String jti = claims.text("jti");
            if (jti.length() > MAX_JTI_LENGTH) {
                return new Rejected(DpopRejection.INVALID_CLAIM, "jti is longer than " + MAX_JTI_LENGTH
                        + " characters", skew);
            }
            String htm = claims.text("htm");
            if (!htm.equals(method)) {
                return new Rejected(DpopRejection.WRONG_METHOD, "htm " + Details.echo(htm) + " is not the request "
                        + "method " + Details.echo(method), skew);
            }
            String htu = claims.text("htu");
            Optional<String> claimed = HtuNormalizer.normalize(htu);
            if (claimed.isEmpty()) {
                return new Rejected(DpopRejection.INVALID_CLAIM, "htu " + Details.echo(htu)
                        + " is not an absolute http(s) URI", skew);
            }
            Optional<String> actual = HtuNormalizer.normalize(requestUri);
            if (actual.isEmpty() || !claimed.get().equals(actual.get())) {
                return new Rejected(DpopRejection.WRONG_URI, "htu " + Details.echo(htu) + " is not the request URI "
                        + (actual.isPresent() ? Details.echo(actual.get()) : "(unknown)"), skew);
            }
            Duration window = settings.iatWindow();
            if (issuedAt.isBefore(now.minus(window)) || issuedAt.isAfter(now.plus(window))) {
                return new Rejected(DpopRejection.IAT_OUT_OF_WINDOW, "iat " + issuedAt + " is " + describe(skew)
                        + " the server clock " + now + "; the window is ±" + window.toSeconds() + " s", skew);
            }
            if (accessToken != null) {
                Optional<Rejected> athProblem = checkAth(claims, accessToken, skew);
                if (athProblem.isPresent()) {
                    return athProblem.get();
                }
            }
            String jkt = SigningKey.thumbprint(jwk);
            // One second past the last instant the proof is acceptable: iat is whole seconds, the clock is not.
            Instant forgetAt = issuedAt.plus(window).plusSeconds(1);
            switch (replayCache.record(replayKey(jkt, jti), forgetAt)) {
                case REPLAYED:
                    return new Rejected(DpopRejection.REPLAYED, "this proof's jti was already used", skew);
                case FULL:
                    // Once per episode: a flood must not turn into a flood of log lines too.
                    if (cacheFull.compareAndSet(false, true)) {
                        LOG.warn("DPoP replay cache is full ({} entries); refusing new proofs until entries expire",
                                replayCache.capacity());
                    }
                    return new Rejected(DpopRejection.REPLAY_CACHE_FULL, "the server cannot remember more proofs "
                            + "now; retry shortly", skew);
                case FRESH:
                default:
                    if (cacheFull.get() && cacheFull.compareAndSet(true, false)) {
                        LOG.info("DPoP replay cache has room again ({} entries)", replayCache.size());
                    }
                    break;
            }
            return new Verified(jkt, jti, issuedAt, skew);
        } catch (BadClaim e) {
            return new Rejected(e.missing() ? DpopRejection.MISSING_CLAIM : DpopRejection.INVALID_CLAIM,
                    e.getMessage(), skew);
        }
    }

    private static Optional<Rejected> checkAth(ClaimReader claims, String accessToken, Duration skew)
            throws BadClaim {
        if (!claims.has("ath")) {
            return Optional.of(new Rejected(DpopRejection.ATH_MISMATCH, "an access token was presented and the "
                    + "proof has no ath", skew));
        }
        byte[] claimed = CompactJws.decode(claims.text("ath"));
        byte[] expected = sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
        if (claimed == null || !MessageDigest.isEqual(claimed, expected)) {
            return Optional.of(new Rejected(DpopRejection.ATH_MISMATCH, "ath is not the hash of the presented "
                    + "access token", skew));
        }
        return Optional.empty();
    }

    /** Whether {@code jwk} is a key of the kind {@code alg} is for, of an acceptable size. */
    static Optional<String> keyProblem(JWSAlgorithm alg, JWK jwk) {
        if (JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg)) {
            if (!(jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve()))) {
                return Optional.of(alg + " needs an OKP Ed25519 key, the jwk is " + describe(jwk));
            }
            // The verifier throws on any other length (found by TokenFuzzTest): refuse it as what it is.
            int length = okp.getDecodedX().length;
            return length == ED25519_KEY_LENGTH ? Optional.empty()
                    : Optional.of("an Ed25519 public key is " + ED25519_KEY_LENGTH + " bytes, this x is " + length);
        }
        if (JWSAlgorithm.ES256.equals(alg)) {
            return jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve()) ? Optional.empty()
                    : Optional.of("ES256 needs an EC P-256 key, the jwk is " + describe(jwk));
        }
        if (JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.PS256.equals(alg)) {
            if (!(jwk instanceof RSAKey rsa)) {
                return Optional.of(alg + " needs an RSA key, the jwk is " + describe(jwk));
            }
            int bits = rsa.getModulus().decodeToBigInteger().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                return Optional.of("RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits, this one "
                        + bits);
            }
            // A huge public exponent would make each verification as slow as a private-key operation.
            if (rsa.getPublicExponent().decodeToBigInteger().bitLength() > 32) {
                return Optional.of("RSA public exponent is implausibly large");
            }
            return Optional.empty();
        }
        return Optional.of("alg " + alg + " is not supported");
    }

    private boolean signatureVerifies(JWSAlgorithm alg, JWK jwk, CompactJws jws) {
        try {
            JWSVerifier verifier;
            if (jwk instanceof OctetKeyPair okp) {
                verifier = new Ed25519Verifier(okp);
            } else if (jwk instanceof ECKey ec) {
                ECDSAVerifier ecdsa = new ECDSAVerifier(ec);
                ecdsa.getJCAContext().setProvider(ecdsaProvider);
                verifier = ecdsa;
            } else {
                verifier = new RSASSAVerifier((RSAKey) jwk);
            }
            return verifier.verify(new JWSHeader(alg), jws.signingInput().getBytes(StandardCharsets.US_ASCII),
                    Base64URL.encode(jws.signature()));
        } catch (JOSEException e) {
            return false;
        }
    }

    /**
     * Only the members that make up a public key reach the JWK parser: whatever else a client put in the jwk
     * ({@code x5c} certificates, {@code kid}, {@code alg}) plays no part in the proof, and a certificate chain is
     * not worth parsing from an unauthenticated header. The RFC 7638 thumbprint uses these members only anyway.
     */
    private static ObjectNode publicKeyMembers(ObjectNode jwk) {
        ObjectNode minimal = JsonNodeFactory.instance.objectNode();
        for (String member : PUBLIC_KEY_MEMBERS) {
            JsonNode value = jwk.get(member);
            if (value != null) {
                minimal.set(member, value);
            }
        }
        return minimal;
    }

    private static boolean isDpopType(String typ) {
        String lower = typ.toLowerCase(Locale.ROOT);
        return lower.equals(TYPE) || lower.equals("application/" + TYPE);
    }

    /** A fixed-size key, so that the cache's memory does not depend on what clients put in jti. */
    private static String replayKey(String jkt, String jti) {
        byte[] digest = sha256((jkt + '\n' + jti).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String describe(Duration skew) {
        return skew.isNegative() ? skew.negated().toSeconds() + " s behind" : skew.toSeconds() + " s ahead of";
    }

    private static String describe(JWK jwk) {
        if (jwk instanceof OctetKeyPair okp) {
            return "OKP " + okp.getCurve();
        }
        if (jwk instanceof ECKey ec) {
            return "EC " + ec.getCurve();
        }
        return jwk.getKeyType().getValue();
    }
}
