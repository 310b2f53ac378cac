package io.tlswatch.tlsserver.certificate;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Builds the OCSP request for a leaf and checks a response to it (RFC 6960): successful, signed by the issuer or
 * by a responder the issuer delegated to ({@code id-kp-OCSPSigning}), about this very certificate, and within
 * its {@code thisUpdate}/{@code nextUpdate} window. Only a response passing every check is ever {@code Good}.
 */
public final class OcspResponseChecker {

    /** How far in the future a {@code thisUpdate} may lie: the responder's clock may run a little ahead. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final DigestCalculatorProvider digests;

    public OcspResponseChecker() {
        try {
            this.digests = new JcaDigestCalculatorProviderBuilder().build();
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("no digest provider", e);
        }
    }

    /** The DER request for the leaf: one certificate id (SHA-1, as responders expect), no nonce, so it can be cached. */
    public byte[] request(X509Certificate leaf, X509Certificate issuer) {
        try {
            OCSPReq request = new OCSPReqBuilder().addRequest(certificateId(leaf, issuer)).build();
            return request.getEncoded();
        } catch (OCSPException | IOException e) {
            throw new IllegalStateException("cannot build an OCSP request for " + leaf.getSubjectX500Principal(), e);
        }
    }

    public OcspResult check(byte[] encoded, X509Certificate leaf, X509Certificate issuer, Instant now) {
        try {
            OCSPResp response = new OCSPResp(encoded);
            if (response.getStatus() != OCSPResp.SUCCESSFUL) {
                return new OcspResult.Invalid("the responder answered with status " + responseStatus(response.getStatus()));
            }
            if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
                return new OcspResult.Invalid("the response is not a basic OCSP response");
            }
            if (!signedByIssuerOrDelegate(basic, issuer, now)) {
                return new OcspResult.Invalid("the response is not signed by the issuer ("
                        + issuer.getSubjectX500Principal().getName() + ") or a responder it delegated to");
            }
            X509CertificateHolder issuerHolder = new JcaX509CertificateHolder(issuer);
            SingleResp single = null;
            for (SingleResp candidate : basic.getResponses()) {
                CertificateID id = candidate.getCertID();
                if (id.getSerialNumber().equals(leaf.getSerialNumber()) && id.matchesIssuer(issuerHolder, digests)) {
                    single = candidate;
                    break;
                }
            }
            if (single == null) {
                return new OcspResult.Invalid("the response is not about certificate " + leaf.getSerialNumber().toString(16));
            }
            Instant thisUpdate = single.getThisUpdate().toInstant();
            Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
            if (thisUpdate.isAfter(now.plus(CLOCK_SKEW))) {
                return new OcspResult.Invalid("the response's thisUpdate " + thisUpdate + " lies in the future");
            }
            if (nextUpdate == null) {
                return new OcspResult.Invalid("the response has no nextUpdate, so there is no telling when it goes stale");
            }
            if (!now.isBefore(nextUpdate)) {
                return new OcspResult.Invalid("the response is stale: its nextUpdate " + nextUpdate + " has passed");
            }
            CertificateStatus status = single.getCertStatus();
            if (status == CertificateStatus.GOOD) {
                return new OcspResult.Good(encoded, thisUpdate, nextUpdate);
            }
            if (status instanceof RevokedStatus revoked) {
                String reason = revoked.hasRevocationReason() ? reasonName(revoked.getRevocationReason()) : null;
                return new OcspResult.Revoked(thisUpdate, nextUpdate, revoked.getRevocationTime().toInstant(), reason);
            }
            if (status instanceof UnknownStatus) {
                return new OcspResult.Unknown(thisUpdate, nextUpdate);
            }
            return new OcspResult.Invalid("the response has an unrecognised certificate status");
        } catch (IOException | OCSPException | CertificateEncodingException | RuntimeException e) {
            return new OcspResult.Invalid("the response cannot be read: " + e.getMessage());
        }
    }

    private CertificateID certificateId(X509Certificate leaf, X509Certificate issuer) {
        try {
            return new CertificateID(digests.get(CertificateID.HASH_SHA1), new JcaX509CertificateHolder(issuer),
                    leaf.getSerialNumber());
        } catch (OperatorCreationException | OCSPException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot build an OCSP certificate id", e);
        }
    }

    private static boolean signedByIssuerOrDelegate(BasicOCSPResp basic, X509Certificate issuer, Instant now) {
        if (verifies(basic, issuer)) {
            return true;
        }
        for (X509CertificateHolder holder : basic.getCerts()) {
            try {
                X509Certificate responder = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                        .getCertificate(holder);
                List<String> usages = responder.getExtendedKeyUsage();
                boolean delegated = usages != null && usages.contains(KeyPurposeId.id_kp_OCSPSigning.getId());
                boolean current = !now.isBefore(responder.getNotBefore().toInstant())
                        && !now.isAfter(responder.getNotAfter().toInstant());
                if (delegated && current && MaterialValidator.issued(issuer, responder) && verifies(basic, responder)) {
                    return true;
                }
            } catch (CertificateException e) {
                // an unreadable certificate in the response vouches for nothing
            }
        }
        return false;
    }

    private static boolean verifies(BasicOCSPResp basic, X509Certificate signer) {
        try {
            return basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer.getPublicKey()));
        } catch (OperatorCreationException | OCSPException | RuntimeException e) {
            return false;
        }
    }

    private static String responseStatus(int status) {
        return switch (status) {
            case OCSPResp.MALFORMED_REQUEST -> "malformedRequest";
            case OCSPResp.INTERNAL_ERROR -> "internalError";
            case OCSPResp.TRY_LATER -> "tryLater";
            case OCSPResp.SIG_REQUIRED -> "sigRequired";
            case OCSPResp.UNAUTHORIZED -> "unauthorized";
            default -> String.valueOf(status);
        };
    }

    private static String reasonName(int reason) {
        return switch (reason) {
            case CRLReason.unspecified -> "unspecified";
            case CRLReason.keyCompromise -> "keyCompromise";
            case CRLReason.cACompromise -> "cACompromise";
            case CRLReason.affiliationChanged -> "affiliationChanged";
            case CRLReason.superseded -> "superseded";
            case CRLReason.cessationOfOperation -> "cessationOfOperation";
            case CRLReason.certificateHold -> "certificateHold";
            case CRLReason.removeFromCRL -> "removeFromCRL";
            case CRLReason.privilegeWithdrawn -> "privilegeWithdrawn";
            case CRLReason.aACompromise -> "aACompromise";
            default -> String.valueOf(reason);
        };
    }
}
