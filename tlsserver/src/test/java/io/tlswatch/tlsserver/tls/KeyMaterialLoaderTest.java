package io.tlswatch.tlsserver.tls;

import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyMaterialLoaderTest {

    private static TestPki.Issued ca;

    @TempDir
    Path dir;

    private final KeyMaterialLoader loader = new KeyMaterialLoader(Map.of("TLS_PASSWORD", "s3cret")::get);

    @BeforeAll
    static void createCa() throws Exception {
        ca = TestPki.ca("test CA");
    }

    @Test
    void loadsAnEcdsaP256ChainAndPkcs8Key() throws Exception {
        // given
        TestPki.Issued server = TestPki.server(ca, TestPki.ec());
        Path chain = server.write(dir, "server");

        // when
        ServerKeyMaterial material = loader.load(new CertificateSource.PemFiles(chain, dir.resolve("server-key.pem")));

        // then
        assertThat(material.leaf()).isEqualTo(server.certificate());
        assertThat(material.privateKey().getAlgorithm()).isEqualTo("EC");
        assertThat(KeyStrength.describe(material.leaf().getPublicKey())).isEqualTo("EC P-256");
    }

    @Test
    void acceptsRsa2048InTheTraditionalPkcs1Form() throws Exception {
        // given a key as "BEGIN RSA PRIVATE KEY", which plain PKCS#8 readers reject
        KeyPair keys = TestPki.rsa(2048);
        Path chain = TestPki.server(ca, keys).write(dir, "rsa");
        Path key = writeTraditional(keys, "rsa-traditional.pem");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        // when
        ServerKeyMaterial material = loader.load(new CertificateSource.PemFiles(chain, key));

        // then
        assertThat(KeyStrength.describe(material.leaf().getPublicKey())).isEqualTo("RSA 2048");
    }

    @Test
    void acceptsAnEcKeyInTheSec1Form() throws Exception {
        // given
        KeyPair keys = TestPki.ec("secp384r1");
        Path chain = TestPki.server(ca, keys).write(dir, "p384");
        Path key = writeSec1(keys, "ec-traditional.pem");
        assertThat(Files.readString(key)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        // when
        ServerKeyMaterial material = loader.load(new CertificateSource.PemFiles(chain, key));

        // then
        assertThat(KeyStrength.describe(material.leaf().getPublicKey())).isEqualTo("EC P-384");
    }

    @Test
    void refusesRsaBelow2048Bits() throws Exception {
        // given
        Path chain = TestPki.server(ca, TestPki.rsa(1024)).write(dir, "weak");

        // when / then
        assertThatThrownBy(() -> loader.load(new CertificateSource.PemFiles(chain, dir.resolve("weak-key.pem"))))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("tls.certificate " + chain + ": RSA key of 1024 bits is too small (at least 2048)");
    }

    @Test
    void refusesCurvesOutsideTheProfile() throws Exception {
        // given
        Path chain = TestPki.server(ca, TestPki.ec("secp521r1")).write(dir, "p521");

        // when / then
        assertThatThrownBy(() -> loader.load(new CertificateSource.PemFiles(chain, dir.resolve("p521-key.pem"))))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("EC key on a curve other than P-256 or P-384 (field of 521 bits)");
    }

    @Test
    void refusesEd25519Keys() throws Exception {
        // given
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        // when / then
        assertThat(KeyStrength.refusal(keys.getPublic()))
                .hasValue("EdDSA key is not supported: use ECDSA P-256 (or P-384) or RSA 2048+");
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        // given
        Path chain = TestPki.server(ca, TestPki.ec()).write(dir, "a");
        TestPki.server(ca, TestPki.ec()).write(dir, "b");

        // when / then
        assertThatThrownBy(() -> loader.load(new CertificateSource.PemFiles(chain, dir.resolve("b-key.pem"))))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("the private key does not belong to the first certificate of the chain");
    }

    @Test
    void decryptsAnEncryptedPkcs8KeyWithThePasswordFromTheEnvironment() throws Exception {
        // given
        KeyPair keys = TestPki.ec();
        Path chain = TestPki.server(ca, keys).write(dir, "enc");
        Path key = dir.resolve("enc-encrypted.pem");
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(keys.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                            .setProvider(new BouncyCastleProvider())
                            .setPassword("s3cret".toCharArray()).build()));
        }
        Files.writeString(key, out.toString());

        // when
        ServerKeyMaterial material = loader.load(new CertificateSource.PemFiles(chain, key,
                new SecretSource.EnvironmentVariable("TLS_PASSWORD")));

        // then
        assertThat(material.privateKey().getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        assertThatThrownBy(() -> loader.load(new CertificateSource.PemFiles(chain, key)))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("is encrypted, but no password source is configured");
        assertThatThrownBy(() -> loader.load(new CertificateSource.PemFiles(chain, key,
                new SecretSource.EnvironmentVariable("UNSET_VARIABLE"))))
                .hasMessage("environment variable UNSET_VARIABLE is not set");
    }

    @Test
    void loadsPkcs12WithThePasswordFromAFile() throws Exception {
        // given
        TestPki.Issued server = TestPki.server(ca, TestPki.ec());
        Path store = writePkcs12(server, "s3cret");
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "s3cret\n");

        // when
        ServerKeyMaterial material = loader.load(new CertificateSource.Pkcs12File(store,
                new SecretSource.File(passwordFile)));

        // then
        assertThat(material.leaf()).isEqualTo(server.certificate());
        assertThat(material.chain()).hasSize(2);
    }

    @Test
    void namesTheFileWhenThePkcs12PasswordIsWrong() throws Exception {
        // given
        Path store = writePkcs12(TestPki.server(ca, TestPki.ec()), "right");

        // when / then
        assertThatThrownBy(() -> loader.load(new CertificateSource.Pkcs12File(store,
                new SecretSource.EnvironmentVariable("TLS_PASSWORD"))))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith("tls.certificate key store " + store
                        + " cannot be read (wrong password, or not PKCS#12)");
    }

    @Test
    void namesMissingFiles() {
        // given
        Path missing = dir.resolve("missing.pem");

        // when / then
        assertThatThrownBy(() -> loader.load(new CertificateSource.PemFiles(missing, missing)))
                .hasMessage("tls.certificate file " + missing + " does not exist");
        assertThatThrownBy(() -> loader.loadTrustedCas(missing))
                .hasMessage("tls.clientCaFile file " + missing + " does not exist");
    }

    @Test
    void readsEveryCaOfTheClientCaFile() throws Exception {
        // given
        TestPki.Issued other = TestPki.ca("other CA");
        Path file = dir.resolve("cas.pem");
        Files.writeString(file, DevCertificateDirectory.pem("CERTIFICATE", ca.certificate().getEncoded())
                + DevCertificateDirectory.pem("CERTIFICATE", other.certificate().getEncoded()));

        // when / then
        assertThat(loader.loadTrustedCas(file)).containsExactly(ca.certificate(), other.certificate());
    }

    private Path writeTraditional(KeyPair keys, String name) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(keys);
        }
        Path file = dir.resolve(name);
        Files.writeString(file, out.toString());
        return file;
    }

    /** SEC1 as {@code openssl ecparam -genkey} writes it: with the curve and the public key inside. */
    private Path writeSec1(KeyPair keys, String name) throws Exception {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        ECPrivateKey sec1 = new ECPrivateKey(384, inner.getKey(),
                new DERBitString(publicKey.getPublicKeyData().getBytes()),
                info.getPrivateKeyAlgorithm().getParameters());
        Path file = dir.resolve(name);
        Files.writeString(file, DevCertificateDirectory.pem("EC PRIVATE KEY", sec1.getEncoded()));
        return file;
    }

    private Path writePkcs12(TestPki.Issued server, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", server.keys().getPrivate(), password.toCharArray(),
                new Certificate[]{server.certificate(), ca.certificate()});
        Path file = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
