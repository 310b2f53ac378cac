package io.tlswatch.tlsserver.tls;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The four development certificate files as read back, and whether each pair can still be served: a CA is kept
 * while it outlives a new server certificate and constrains exactly the wanted names; a server certificate while
 * it is more than {@value DevCertificates#RENEW_BEFORE_DAYS} days from its end and was signed by that CA.
 */
record ExistingDevCertificates(X509Certificate ca, PrivateKey caKey, X509Certificate server, PrivateKey serverKey) {

    private static final Logger log = LoggerFactory.getLogger(ExistingDevCertificates.class);

    /** The files in {@code directory}; {@code null} when any is missing or unreadable. */
    static ExistingDevCertificates read(Path directory) {
        Path[] files = {directory.resolve(DevCertificates.CA_FILE), directory.resolve(DevCertificates.CA_KEY_FILE),
                directory.resolve(DevCertificates.SERVER_FILE), directory.resolve(DevCertificates.SERVER_KEY_FILE)};
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                return null;
            }
        }
        try {
            KeyMaterialLoader loader = new KeyMaterialLoader(name -> null);
            List<X509Certificate> ca = KeyMaterialLoader.readCertificates(files[0], "development CA");
            ServerKeyMaterial caMaterial = loader.load(new CertificateSource.PemFiles(files[0], files[1]));
            ServerKeyMaterial server = loader.load(new CertificateSource.PemFiles(files[2], files[3]));
            return new ExistingDevCertificates(ca.get(0), caMaterial.privateKey(), server.leaf(), server.privateKey());
        } catch (TlsConfigurationException | UncheckedIOException | IndexOutOfBoundsException e) {
            log.info("development certificates in {} are unusable ({}): generating new ones", directory,
                    e.getMessage());
            return null;
        }
    }

    boolean caUsable(Instant now, Set<String> dnsNames) {
        Instant renewalDeadline = now.plus(Duration.ofDays(DevCertificates.SERVER_VALIDITY_DAYS));
        return !ca.getNotBefore().toInstant().isAfter(now)
                && ca.getNotAfter().toInstant().isAfter(renewalDeadline)
                && ca.getBasicConstraints() >= 0
                && keyMatches(caKey, ca)
                && dnsNames.equals(permittedDnsNames(ca));
    }

    boolean serverUsable(Instant now, Set<String> dnsNames) {
        if (server.getNotBefore().toInstant().isAfter(now)
                || !server.getNotAfter().toInstant().isAfter(
                        now.plus(Duration.ofDays(DevCertificates.RENEW_BEFORE_DAYS)))
                || !keyMatches(serverKey, server)) {
            return false;
        }
        try {
            server.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        return dnsNames.equals(sanDnsNames(server));
    }

    private static Set<String> permittedDnsNames(X509Certificate ca) {
        byte[] extension = ca.getExtensionValue(Extension.nameConstraints.getId());
        Set<String> names = new LinkedHashSet<>();
        if (extension == null) {
            return names;
        }
        NameConstraints constraints = NameConstraints.getInstance(ASN1OctetString.getInstance(extension).getOctets());
        if (constraints.getPermittedSubtrees() != null) {
            for (GeneralSubtree subtree : constraints.getPermittedSubtrees()) {
                if (subtree.getBase().getTagNo() == GeneralName.dNSName) {
                    names.add(subtree.getBase().getName().toString());
                }
            }
        }
        return names;
    }

    private static Set<String> sanDnsNames(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if ((Integer) san.get(0) == GeneralName.dNSName) {
                        names.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    private static boolean keyMatches(PrivateKey key, X509Certificate certificate) {
        try {
            Signature signer = Signature.getInstance(DevCertificateIssuer.SIGNATURE);
            signer.initSign(key);
            byte[] probe = "tlswatch".getBytes(StandardCharsets.US_ASCII);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(DevCertificateIssuer.SIGNATURE);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
