package io.tlswatch.validator.token;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * The range check on an ES256 signature that JDKs 15 to 18 without the April 2022 update skipped
 * (CVE-2022-21449, "psychic signatures": r = s = 0 verified against every key). This JDK has the fix, and so
 * does Nimbus; the check is done here anyway, before either sees the signature, so that a token's fate does
 * not depend on the runtime it meets.
 */
final class EcdsaSignatures {

    /** The order n of the P-256 group (SEC 2, secp256r1). */
    static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private static final int P256_COMPONENT_BYTES = 32;

    private EcdsaSignatures() {
    }

    /**
     * What is wrong with a JOSE ES256 signature ({@code R || S}, 32 bytes each, RFC 7518 §3.4), or empty when
     * both components are within {@code [1, n-1]}.
     */
    static Optional<String> es256Problem(byte[] signature) {
        if (signature.length != 2 * P256_COMPONENT_BYTES) {
            return Optional.of("an ES256 signature is 64 bytes, this one " + signature.length);
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, P256_COMPONENT_BYTES));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, P256_COMPONENT_BYTES, signature.length));
        if (r.signum() == 0 || s.signum() == 0) {
            return Optional.of("ES256 signature with r or s zero (CVE-2022-21449)");
        }
        if (r.compareTo(P256_ORDER) >= 0 || s.compareTo(P256_ORDER) >= 0) {
            return Optional.of("ES256 signature with r or s not below the group order");
        }
        return Optional.empty();
    }
}
