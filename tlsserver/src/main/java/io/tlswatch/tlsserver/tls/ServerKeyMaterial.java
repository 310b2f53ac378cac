package io.tlswatch.tlsserver.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The server's private key with its certificate chain, leaf first.
 */
public record ServerKeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {

    public ServerKeyMaterial {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain is empty");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        // Never print the key.
        return "ServerKeyMaterial[" + leaf().getSubjectX500Principal() + ", " + chain.size() + " certificate(s)]";
    }
}
