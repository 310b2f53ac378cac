package io.tlswatch.validator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/** What a test client needs to talk to a validator as a real client would. */
public final class ClientSide {

    private ClientSide() {
    }

    /** A TLS context that trusts exactly the given CA (the validator's development CA). */
    public static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A fresh DPoP proof (RFC 9449) by {@code key} for {@code POST htu}. */
    public static String dpopProof(ECKey key, String htu) throws JOSEException {
        return dpopProof(key, htu, Instant.now());
    }

    /** A DPoP proof made on a client whose clock reads {@code clientNow}: that is its {@code iat}. */
    public static String dpopProof(ECKey key, String htu, Instant clientNow) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(),
                new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", "POST")
                        .claim("htu", htu).issueTime(Date.from(clientNow)).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }
}
