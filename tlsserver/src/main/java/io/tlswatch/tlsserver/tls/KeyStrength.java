package io.tlswatch.tlsserver.tls;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Optional;

/**
 * Which server keys are acceptable: ECDSA on P-256 (the default) or P-384, the curves Mozilla's profile names for
 * certificates, and RSA of 2048 bits or more. Everything else is refused, whatever {@code allowInsecure} says:
 * a stronger key never costs a client compatibility.
 */
final class KeyStrength {

    static final int MIN_RSA_BITS = 2048;

    private KeyStrength() {
    }

    /** Why the key is refused; empty when it is acceptable. */
    static Optional<String> refusal(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            return bits >= MIN_RSA_BITS
                    ? Optional.empty()
                    : Optional.of("RSA key of " + bits + " bits is too small (at least " + MIN_RSA_BITS + ")");
        }
        if (key instanceof ECPublicKey ec) {
            String curve = curveName(ec.getParams());
            return curve != null
                    ? Optional.empty()
                    : Optional.of("EC key on a curve other than P-256 or P-384 (field of "
                    + ec.getParams().getCurve().getField().getFieldSize() + " bits)");
        }
        return Optional.of(key.getAlgorithm() + " key is not supported: use ECDSA P-256 (or P-384) or RSA "
                + MIN_RSA_BITS + "+");
    }

    /** A short description for logs: {@code EC P-256}, {@code RSA 3072}. */
    static String describe(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            String curve = curveName(ec.getParams());
            return "EC " + (curve == null ? ec.getParams().getCurve().getField().getFieldSize() + "-bit" : curve);
        }
        return key.getAlgorithm();
    }

    private static String curveName(ECParameterSpec params) {
        if (sameCurve(params, named("secp256r1"))) {
            return "P-256";
        }
        if (sameCurve(params, named("secp384r1"))) {
            return "P-384";
        }
        return null;
    }

    private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
        return a.getCurve().equals(b.getCurve()) && a.getOrder().equals(b.getOrder())
                && a.getGenerator().equals(b.getGenerator());
    }

    private static ECParameterSpec named(String curve) {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec(curve));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks curve " + curve, e);
        }
    }
}
