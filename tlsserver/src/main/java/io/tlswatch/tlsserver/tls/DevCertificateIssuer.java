package io.tlswatch.tlsserver.tls;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Makes the development CA (limited by a critical name constraint to exactly the server's names) and the server
 * certificates it signs, with ECDSA P-256 keys. Writes nothing: {@link DevCertificates} keeps the files.
 */
final class DevCertificateIssuer {

    static final String SIGNATURE = "SHA256withECDSA";
    // Certificates are back-dated a little, so that a client whose clock is slightly behind accepts them.
    private static final Duration BACKDATE = Duration.ofHours(1);

    private final SecureRandom random = new SecureRandom();

    KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    X509Certificate ca(KeyPair keys, Set<String> dnsNames, Instant now)
            throws CertIOException, GeneralSecurityException, OperatorCreationException {
        X500Name name = new X500Name("CN=tlswatch development CA,O=tlswatch development only");
        Instant notBefore = now.minus(BACKDATE);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(notBefore),
                Date.from(now.plus(Duration.ofDays(DevCertificates.CA_VALIDITY_DAYS))), name, keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.nameConstraints, true, new NameConstraints(permittedSubtrees(dnsNames), null));
        return sign(builder, keys.getPrivate());
    }

    /** A server certificate for {@code keys}, valid until the CA's end at the latest. */
    X509Certificate server(KeyPair keys, KeyPair caKeys, X509Certificate ca, Set<String> dnsNames, Instant now)
            throws CertIOException, GeneralSecurityException, OperatorCreationException {
        X500Name subject = new X500Name("CN=localhost,O=tlswatch development only");
        Instant notBefore = now.minus(BACKDATE);
        Instant notAfter = now.plus(Duration.ofDays(DevCertificates.SERVER_VALIDITY_DAYS));
        if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
            notAfter = ca.getNotAfter().toInstant();
        }
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(), Date.from(notBefore),
                Date.from(notAfter), subject, keys.getPublic());
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                utils.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(ca));
        builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(dnsNames));
        return sign(builder, caKeys.getPrivate());
    }

    private static GeneralNames subjectAltNames(Set<String> dnsNames) {
        List<GeneralName> names = new ArrayList<>();
        for (String name : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, name));
        }
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static GeneralSubtree[] permittedSubtrees(Set<String> dnsNames) {
        List<GeneralSubtree> subtrees = new ArrayList<>();
        for (String name : dnsNames) {
            subtrees.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, name)));
        }
        // An iPAddress constraint is the address followed by its mask (RFC 5280 4.2.1.10).
        subtrees.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(
                new byte[]{127, 0, 0, 1, -1, -1, -1, -1}))));
        byte[] loopback6 = new byte[32];
        loopback6[15] = 1;
        for (int i = 16; i < 32; i++) {
            loopback6[i] = -1;
        }
        subtrees.add(new GeneralSubtree(new GeneralName(GeneralName.iPAddress, new DEROctetString(loopback6))));
        return subtrees.toArray(GeneralSubtree[]::new);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signingKey)));
    }

    private BigInteger serial() {
        // RFC 5280: positive, at most 20 octets; 16 random bytes with the sign bit clear.
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] &= 0x7F;
        bytes[0] |= 0x01;
        return new BigInteger(bytes);
    }
}
