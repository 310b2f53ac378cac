package io.tlswatch.client.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;

import java.util.Objects;

/**
 * One installation of the client software: its stable client id and its proof-of-possession key (EC P-256,
 * for ES256 DPoP proofs and report signatures). The key never leaves the installation; its RFC 7638 thumbprint
 * is what the validator binds tokens to ({@code cnf.jkt}).
 */
public final class Installation {

    private final String clientId;
    private final ECKey key;
    private final String thumbprint;

    public Installation(String clientId, ECKey key) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.key = Objects.requireNonNull(key, "key");
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("the installation key must include its private part");
        }
        try {
            this.thumbprint = key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot compute the key's thumbprint", e);
        }
    }

    public String clientId() {
        return clientId;
    }

    /** The private key; only the proof and signature code use it. */
    public ECKey key() {
        return key;
    }

    /** The RFC 7638 SHA-256 thumbprint of the public key, base64url. */
    public String thumbprint() {
        return thumbprint;
    }

    @Override
    public String toString() {
        return "Installation[" + clientId + ", jkt=" + thumbprint + "]";
    }
}
