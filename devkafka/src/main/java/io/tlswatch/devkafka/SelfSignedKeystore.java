package io.tlswatch.devkafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key and self-signed certificate for {@code localhost} made with the JDK's {@code keytool}, for the broker's
 * TLS listener: a PKCS12 keystore for the broker and the certificate as PEM, which clients trust.
 *
 * @param keystore    PKCS12, holding the key under the alias {@code broker}
 * @param password    of the keystore and of the key
 * @param certificate the certificate, PEM: a client's {@code ssl.truststore.location} with type PEM
 */
public record SelfSignedKeystore(Path keystore, String password, Path certificate) {

    private static final Logger log = LoggerFactory.getLogger(SelfSignedKeystore.class);
    private static final String ALIAS = "broker";
    private static final int VALID_DAYS = 30;
    private static final long KEYTOOL_LIMIT_SECONDS = 60;

    public SelfSignedKeystore {
        if (password.contains("\"")) {
            throw new IllegalArgumentException("keystore password must not contain a quote");
        }
    }

    /** Writes {@code broker.p12} and {@code broker-ca.pem} into {@code dir}, replacing what is there. */
    public static SelfSignedKeystore generate(Path dir) {
        long begin = System.nanoTime();
        try {
            Files.createDirectories(dir);
            Path keystore = dir.resolve("broker.p12");
            Path pem = dir.resolve("broker-ca.pem");
            Files.deleteIfExists(keystore);
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
            runKeytool(List.of(keytool(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", String.valueOf(VALID_DAYS), "-keystore", keystore.toString(), "-storetype", "PKCS12",
                    "-storepass", password, "-keypass", password), dir);
            Files.writeString(pem, pem(certificateOf(keystore, password)), StandardCharsets.US_ASCII);
            log.info("Broker key and self-signed certificate for localhost generated in {} ms: {}",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), pem);
            return new SelfSignedKeystore(keystore, password, pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker's keystore into " + dir, e);
        }
    }

    private static String keytool() {
        Path bundled = Path.of(System.getProperty("java.home"), "bin", "keytool");
        return Files.isExecutable(bundled) ? bundled.toString() : "keytool";
    }

    private static void runKeytool(List<String> command, Path dir) throws IOException {
        Path output = dir.resolve("keytool.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!process.waitFor(KEYTOOL_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within " + KEYTOOL_LIMIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating the broker's key", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (exit " + process.exitValue() + "): "
                    + Files.readString(output).strip());
        }
        Files.deleteIfExists(output);
    }

    private static Certificate certificateOf(Path keystore, String password) throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store.getCertificate(ALIAS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the keystore keytool wrote: " + e.getMessage(), e);
        }
    }

    private static String pem(Certificate certificate) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(certificate.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the broker's certificate", e);
        }
    }

    /** The password stays out of logs. */
    @Override
    public String toString() {
        return "SelfSignedKeystore[" + keystore + ", " + certificate + "]";
    }
}
