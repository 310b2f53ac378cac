package io.tlswatch.client.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.client.identity.Installation;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;

/**
 * DPoP proofs (RFC 9449 §4.2) by the installation's key: {@code typ dpop+jwt}, ES256, the public key in the
 * {@code jwk} header, a fresh {@code jti}, {@code htm}, {@code htu} and {@code iat}, and a {@code nonce} when the
 * server handed one out (the tlswatch validator does not, but a proxy in front of it may).
 */
public final class DpopProofs {

    private static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");

    private final Installation installation;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ECDSASigner signer;

    public DpopProofs(Installation installation, Clock clock) {
        this.installation = installation;
        this.clock = clock;
        try {
            this.signer = new ECDSASigner(installation.key());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the installation key cannot sign ES256", e);
        }
    }

    /** A proof for {@code method htu}; {@code nonce} may be {@code null}. */
    public String proof(String method, URI htu, String nonce) {
        byte[] jti = new byte[16];
        random.nextBytes(jti);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .jwtID(Base64.getUrlEncoder().withoutPadding().encodeToString(jti))
                .claim("htm", method)
                .claim("htu", htu.toString())
                // Whole seconds, as the RFC's NumericDate; Nimbus would write the milliseconds away too.
                .issueTime(new Date(clock.instant().getEpochSecond() * 1000));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(TYPE)
                .jwk(installation.key().toPublicJWK()).build(), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a DPoP proof", e);
        }
        return jwt.serialize();
    }
}
