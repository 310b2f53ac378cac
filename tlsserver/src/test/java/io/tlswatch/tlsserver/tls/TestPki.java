package io.tlswatch.tlsserver.tls;

import org.bouncycastle.asn1.x500.X500Name;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** Test certificates: CAs, server and client certificates, RSA keys of chosen sizes, written as PEM. */
public final class TestPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private TestPki() {
    }

    public record Issued(KeyPair keys, X509Certificate certificate) {
        /** Writes {@code <name>.pem} and {@code <name>-key.pem}; returns the certificate file. */
        public Path write(Path directory, String name) throws Exception {
            Path certificateFile = directory.resolve(name + ".pem");
            Files.writeString(certificateFile, DevCertificateDirectory.pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(directory.resolve(name + "-key.pem"),
                    DevCertificateDirectory.pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            return certificateFile;
        }
    }

    public static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    public static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    public static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    public static Issued ca(String name) throws Exception {
        KeyPair keys = ec();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, sign(builder, keys));
    }

    /** A leaf signed by {@code issuer}, valid from {@code notBefore} to {@code notAfter}. */
    public static Issued leaf(Issued issuer, String name, KeyPair keys, Instant notBefore, Instant notAfter,
                       KeyPurposeId purpose) throws Exception {
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer.certificate(), serial(),
                Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + name), keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        return new Issued(keys, sign(builder, issuer.keys()));
    }

    public static Issued client(Issued issuer, String name, Instant notBefore, Instant notAfter) throws Exception {
        return leaf(issuer, name, ec(), notBefore, notAfter, KeyPurposeId.id_kp_clientAuth);
    }

    public static Issued server(Issued issuer, KeyPair keys) throws Exception {
        Instant now = Instant.now();
        return leaf(issuer, "localhost", keys, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)),
                KeyPurposeId.id_kp_serverAuth);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        String algorithm = signer.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }
}
