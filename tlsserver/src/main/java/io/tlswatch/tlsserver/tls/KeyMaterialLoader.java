package io.tlswatch.tlsserver.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMDecryptorProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_CERTIFICATE;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_CLIENT_CA_FILE;

/**
 * Reads the server's key and chain (PEM files or PKCS#12), checks that the key is strong enough and belongs to
 * the leaf certificate, and reads the client CA file. Errors name the setting and the file.
 */
public final class KeyMaterialLoader {

    private final UnaryOperator<String> environment;

    /** Reads passwords from the process environment. */
    public KeyMaterialLoader() {
        this(System::getenv);
    }

    /**
     * @param environment looks environment variables up, for {@link SecretSource.EnvironmentVariable} passwords
     */
    public KeyMaterialLoader(UnaryOperator<String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * @throws TlsConfigurationException when a file is missing or unreadable, holds no key or no certificate, the
     *                                   key is too weak, or it does not match the leaf certificate
     */
    public ServerKeyMaterial load(CertificateSource source) {
        Objects.requireNonNull(source, KEY_CERTIFICATE);
        ServerKeyMaterial material = source instanceof CertificateSource.PemFiles pem
                ? loadPem(pem)
                : loadPkcs12((CertificateSource.Pkcs12File) source);
        X509Certificate leaf = material.leaf();
        KeyStrength.refusal(leaf.getPublicKey()).ifPresent(reason -> {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " " + describe(source) + ": " + reason);
        });
        if (!keyMatches(material.privateKey(), leaf)) {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " " + describe(source)
                    + ": the private key does not belong to the first certificate of the chain ("
                    + leaf.getSubjectX500Principal() + ")");
        }
        return material;
    }

    /**
     * The CA certificates of a PEM file, for checking client certificates.
     *
     * @throws TlsConfigurationException when the file is missing, unreadable or holds no certificate
     */
    public List<X509Certificate> loadTrustedCas(Path caFile) {
        List<X509Certificate> cas = readCertificates(caFile, KEY_CLIENT_CA_FILE);
        if (cas.isEmpty()) {
            throw new TlsConfigurationException(KEY_CLIENT_CA_FILE + " " + caFile + " holds no PEM certificate");
        }
        return cas;
    }

    private ServerKeyMaterial loadPem(CertificateSource.PemFiles pem) {
        List<X509Certificate> chain = readCertificates(pem.certificateChain(), KEY_CERTIFICATE);
        if (chain.isEmpty()) {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " chain file " + pem.certificateChain()
                    + " holds no PEM certificate");
        }
        PrivateKey key = readPrivateKey(pem.privateKey(), pem.keyPassword());
        return new ServerKeyMaterial(key, chain);
    }

    private PrivateKey readPrivateKey(Path file, SecretSource passwordSource) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    char[] password = password(file, passwordSource);
                    try {
                        InputDecryptorProvider decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder()
                                .setProvider(new BouncyCastleProvider()).build(password);
                        return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
                    } finally {
                        Arrays.fill(password, '\0');
                    }
                }
                if (item instanceof PEMEncryptedKeyPair encrypted) {
                    char[] password = password(file, passwordSource);
                    try {
                        PEMDecryptorProvider decryptor = new JcePEMDecryptorProviderBuilder()
                                .setProvider(new BouncyCastleProvider()).build(password);
                        return converter.getPrivateKey(encrypted.decryptKeyPair(decryptor).getPrivateKeyInfo());
                    } finally {
                        Arrays.fill(password, '\0');
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " key file " + file + " does not exist", e);
        } catch (IOException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.pkcs.PKCSException | RuntimeException e) {
            if (e instanceof TlsConfigurationException tce) {
                throw tce;
            }
            throw new TlsConfigurationException(KEY_CERTIFICATE + " key file " + file
                    + " cannot be read (wrong password, or not a PEM private key): " + e.getMessage(), e);
        }
        throw new TlsConfigurationException(KEY_CERTIFICATE + " key file " + file + " holds no PEM private key");
    }

    private char[] password(Path file, SecretSource source) {
        if (source instanceof SecretSource.None) {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " key file " + file
                    + " is encrypted, but no password source is configured");
        }
        return source.resolve(environment);
    }

    private ServerKeyMaterial loadPkcs12(CertificateSource.Pkcs12File pkcs12) {
        Path file = pkcs12.keyStore();
        char[] password = pkcs12.password().resolve(environment);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw new TlsConfigurationException(KEY_CERTIFICATE + " key store " + file + " holds "
                        + keyAliases.size() + " private keys " + keyAliases + "; it must hold exactly one");
            }
            String alias = keyAliases.get(0);
            Key key = store.getKey(alias, password);
            Certificate[] chain = store.getCertificateChain(alias);
            if (!(key instanceof PrivateKey privateKey) || chain == null || chain.length == 0) {
                throw new TlsConfigurationException(KEY_CERTIFICATE + " key store " + file + " entry '" + alias
                        + "' has no private key with a certificate chain");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            return new ServerKeyMaterial(privateKey, certificates);
        } catch (NoSuchFileException e) {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " key store " + file + " does not exist", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " key store " + file
                    + " cannot be read (wrong password, or not PKCS#12): " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static List<X509Certificate> readCertificates(Path file, String key) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (NoSuchFileException e) {
            throw new TlsConfigurationException(key + " file " + file + " does not exist", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsConfigurationException(key + " file " + file + " holds no readable PEM certificate: "
                    + e.getMessage(), e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate: mismatched files fail here, not later. */
    private static boolean keyMatches(PrivateKey key, X509Certificate leaf) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "tlswatch key check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String describe(CertificateSource source) {
        return source instanceof CertificateSource.PemFiles pem
                ? pem.certificateChain().toString()
                : ((CertificateSource.Pkcs12File) source).keyStore().toString();
    }
}
