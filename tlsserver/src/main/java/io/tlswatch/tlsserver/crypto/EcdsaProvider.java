package io.tlswatch.tlsserver.crypto;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;

/**
 * The JCA provider that verifies ES256 (ECDSA P-256) signatures from clients: DPoP proofs at the validator,
 * signed reports at the collector. Bouncy Castle's P-256 arithmetic verifies in about a quarter of the time of
 * the JDK 17 SunEC provider's (about half on JDK 25), and these signatures are the largest CPU item of a
 * validation. It is handed to each verifier (Nimbus's JCA context), never registered JVM-wide, so nothing else
 * in the process changes provider. Nothing ever changes the instance after it is built.
 */
public final class EcdsaProvider {

    public static final Provider VERIFYING = new BouncyCastleProvider();

    private EcdsaProvider() {
    }
}
