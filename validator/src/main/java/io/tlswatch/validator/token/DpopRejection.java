package io.tlswatch.validator.token;

import io.tlswatch.contract.event.LicenseCheckCode;

import java.util.Locale;

/**
 * Why a DPoP proof was refused. A bounded set: fit for a metric tag ({@link #tag()}). {@link #apiCode()} maps
 * each to the license API's code.
 */
public enum DpopRejection {
    /** No {@code DPoP} header. */
    MISSING,
    /** More than one {@code DPoP} header (RFC 9449 §4.3, check 1). */
    MULTIPLE,
    /** Not a compact JWS, or a part is not a UTF-8 JSON object. */
    MALFORMED,
    /** Longer than {@link DpopSettings#maxProofLength()}; refused unread. */
    TOO_LARGE,
    /** JSON nested too deep; refused before parsing. */
    TOO_DEEP,
    /** {@code typ} is not {@code dpop+jwt}. */
    WRONG_TYPE,
    /** {@code alg} is not an accepted asymmetric algorithm ({@code none} and {@code HS*} never are). */
    ALG_NOT_ALLOWED,
    /** A header parameter that would name a key elsewhere ({@code jku}, {@code x5u}, {@code x5c}) or {@code crit}. */
    FORBIDDEN_HEADER,
    /** No {@code jwk} header, or one that is not a valid public JWK. */
    INVALID_KEY,
    /** The {@code jwk} header holds private key material. */
    PRIVATE_KEY_IN_HEADER,
    /** The {@code jwk} is not a key for {@code alg} (type, curve, RSA size). */
    KEY_NOT_ALLOWED,
    /** The signature does not verify with the {@code jwk} (or is an ES256 signature out of range). */
    BAD_SIGNATURE,
    /** {@code jti}, {@code htm}, {@code htu} or {@code iat} is absent. */
    MISSING_CLAIM,
    /** A claim has the wrong type or form. */
    INVALID_CLAIM,
    /** {@code htm} is not the request's method. */
    WRONG_METHOD,
    /** {@code htu} is not the request's URI. */
    WRONG_URI,
    /** {@code iat} is further from the server's clock than the window allows. */
    IAT_OUT_OF_WINDOW,
    /** An access token was presented and {@code ath} is absent or not its hash. */
    ATH_MISMATCH,
    /** This proof ({@code jti}, for this key) was already used within the window. */
    REPLAYED,
    /** The replay cache is full: the proof is refused rather than a remembered {@code jti} forgotten. */
    REPLAY_CACHE_FULL;

    /** {@code PROOF_REQUIRED} when there was no proof, {@code PROOF_INVALID} otherwise. */
    public LicenseCheckCode apiCode() {
        return this == MISSING ? LicenseCheckCode.PROOF_REQUIRED : LicenseCheckCode.PROOF_INVALID;
    }

    /** Lower case, for metric tags and logs. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
