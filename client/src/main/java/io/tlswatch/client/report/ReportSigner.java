package io.tlswatch.client.report;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import io.tlswatch.client.identity.Installation;

/**
 * Signs a report request body with the installation's key, the same key as its DPoP proofs: a JWS (RFC 7515)
 * in compact serialisation with a detached payload (Appendix F), {@code header..signature}, whose payload is
 * the exact request body bytes. Header: {@code alg ES256}, {@code typ report+jws}, and the public key as
 * {@code jwk}; its RFC 7638 thumbprint is the {@code cnf.jkt} of the installation's entitlement tokens, which is
 * what ties a report to the license checks of the same installation. Sent as {@value #HEADER}.
 */
public final class ReportSigner {

    public static final String HEADER = "Report-Signature";
    public static final String TYPE = "report+jws";

    private final Installation installation;
    private final ECDSASigner signer;

    public ReportSigner(Installation installation) {
        this.installation = installation;
        try {
            this.signer = new ECDSASigner(installation.key());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the installation key cannot sign ES256", e);
        }
    }

    public String sign(byte[] body) {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(TYPE))
                .jwk(installation.key().toPublicJWK()).build(), new Payload(body));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a report", e);
        }
        return jws.serialize(true);
    }
}
