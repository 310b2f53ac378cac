package io.tlswatch.tlsserver.certificate;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CA made in code that issues short-lived server certificates (valid for minutes, as in production with
 * automated issuance), optionally naming an OCSP responder, and writes them as files a server would read.
 */
public final class RotationPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis() * 1000);

    public final KeyPair caKeys;
    public final X509Certificate ca;
    private final URI ocspUrl;

    private RotationPki(KeyPair caKeys, X509Certificate ca, URI ocspUrl) {
        this.caKeys = caKeys;
        this.ca = ca;
        this.ocspUrl = ocspUrl;
    }

    public static RotationPki create(String name) throws Exception {
        return create(name, null);
    }

    /** @param ocspUrl the responder leaves name in their AIA extension; {@code null} for none */
    public static RotationPki create(String name, URI ocspUrl) throws Exception {
        KeyPair keys = ec();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, nextSerial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new RotationPki(keys, sign(builder, keys), ocspUrl);
    }

    /** The same CA, issuing certificates that name {@code url} as their OCSP responder. */
    public RotationPki withOcspUrl(URI url) {
        return new RotationPki(caKeys, ca, url);
    }

    /** A server certificate for localhost valid from a minute ago for {@code validity}. */
    public Leaf issue(Duration validity) throws Exception {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofMinutes(1)), now.plus(validity));
    }

    public Leaf issue(Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = ec();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, nextSerial(), Date.from(notBefore),
                Date.from(notAfter), new X500Name("CN=localhost"), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        if (ocspUrl != null) {
            builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                    AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier,
                    ocspUrl.toString())));
        }
        return new Leaf(keys, sign(builder, caKeys), ca);
    }

    /** A responder certificate the CA delegates OCSP signing to (or, with {@code ocspSigning} false, does not). */
    public Leaf responder(boolean ocspSigning) throws Exception {
        KeyPair keys = ec();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, nextSerial(),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=OCSP responder"), keys.getPublic());
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                ocspSigning ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_serverAuth));
        return new Leaf(keys, sign(builder, caKeys), ca);
    }

    public void writeCa(Path file) throws Exception {
        Files.writeString(file, pem("CERTIFICATE", ca.getEncoded()));
    }

    public record Leaf(KeyPair keys, X509Certificate certificate, X509Certificate issuer) {
        public String serialHex() {
            return certificate.getSerialNumber().toString(16);
        }

        public String chainPem() throws Exception {
            return pem("CERTIFICATE", certificate.getEncoded())
                    + pem("CERTIFICATE", issuer.getEncoded());
        }

        public String keyPem() {
            return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
        }

        public List<X509Certificate> chain() {
            return List.of(certificate, issuer);
        }

        /**
         * Writes chain and key as a careful operator does: each to a temporary file moved into place, the key
         * first, so that a poll never sees a new chain with an old key... except between the two moves.
         */
        public void writeTo(Path chainFile, Path keyFile) throws Exception {
            replace(keyFile, keyPem());
            replace(chainFile, chainPem());
        }
    }

    public static void replace(Path file, String content) throws Exception {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static BigInteger nextSerial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }
}
