package io.tlswatch.tlsserver.certificate;

import io.tlswatch.tlsserver.tls.ServerKeyMaterial;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether key material may be served, beyond what loading it already checked (that the key is strong
 * enough and belongs to the leaf): the chain is in order and ends at a configured trust anchor, and the leaf is
 * valid now and for a minimum time ahead. Answers with the reason for a person, never an exception.
 */
public final class MaterialValidator {

    private final List<X509Certificate> trustAnchors;
    private final Duration minValidityAhead;

    /**
     * @param trustAnchors the CAs a chain must end at; empty to check only the chain's order
     */
    public MaterialValidator(List<X509Certificate> trustAnchors, Duration minValidityAhead) {
        this.trustAnchors = List.copyOf(trustAnchors);
        this.minValidityAhead = Objects.requireNonNull(minValidityAhead, "minValidityAhead");
    }

    /** Why the chain cannot be served whatever the time (order, trust, intermediates' validity); empty if it can. */
    public Optional<String> chainRefusal(ServerKeyMaterial material, Instant now) {
        List<X509Certificate> chain = material.chain();
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate child = chain.get(i);
            X509Certificate parent = chain.get(i + 1);
            if (!issued(parent, child)) {
                return Optional.of("the chain is not in order: certificate " + (i + 1) + " ("
                        + CertificateFacts.subject(parent) + ") did not issue certificate " + i + " ("
                        + CertificateFacts.subject(child) + ")");
            }
        }
        for (int i = 1; i < chain.size(); i++) {
            X509Certificate ca = chain.get(i);
            if (now.isAfter(ca.getNotAfter().toInstant()) || now.isBefore(ca.getNotBefore().toInstant())) {
                return Optional.of("chain certificate " + i + " (" + CertificateFacts.subject(ca)
                        + ") is not valid now (" + ca.getNotBefore().toInstant() + " to " + ca.getNotAfter().toInstant() + ")");
            }
        }
        if (trustAnchors.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate last = chain.get(chain.size() - 1);
        if (trustAnchors.contains(last)) {
            return Optional.empty();
        }
        for (X509Certificate anchor : trustAnchors) {
            if (issued(anchor, last)) {
                return Optional.empty();
            }
        }
        return Optional.of("the chain is incomplete: its last certificate (" + CertificateFacts.subject(last)
                + ") was issued by " + last.getIssuerX500Principal().getName()
                + ", which is not a configured trust anchor (" + CertificateSettings.KEY_TRUST_ANCHORS + ")");
    }

    /** Why the leaf cannot be served at {@code now}: not yet valid, expired, or expiring too soon. */
    public Optional<String> validityRefusal(X509Certificate leaf, Instant now) {
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            return Optional.of("the certificate is not valid before " + notBefore);
        }
        if (now.isAfter(notAfter)) {
            return Optional.of("the certificate expired at " + notAfter);
        }
        if (notAfter.isBefore(now.plus(minValidityAhead))) {
            return Optional.of("the certificate expires at " + notAfter + ", sooner than "
                    + CertificateSettings.KEY_MIN_VALIDITY_AHEAD + " (" + minValidityAhead + ") from now");
        }
        return Optional.empty();
    }

    /** The certificate among the chain and the trust anchors that issued the leaf, for OCSP requests. */
    public Optional<X509Certificate> issuerOf(ServerKeyMaterial material) {
        X509Certificate leaf = material.leaf();
        if (material.chain().size() > 1 && issued(material.chain().get(1), leaf)) {
            return Optional.of(material.chain().get(1));
        }
        return trustAnchors.stream().filter(anchor -> issued(anchor, leaf)).findFirst();
    }

    static boolean issued(X509Certificate issuer, X509Certificate subject) {
        if (!issuer.getSubjectX500Principal().equals(subject.getIssuerX500Principal())) {
            return false;
        }
        try {
            subject.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
