package io.tlswatch.tlsserver.tls;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Where the server's certificate chain and private key come from. */
public sealed interface CertificateSource {

    /**
     * The certificate a listener's configuration names: {@code tls.certificate} (PEM chain with
     * {@code tls.privateKey}, or a {@code .p12}/{@code .pfx} store), its password from {@code tls.keyPasswordEnv}
     * or {@code tls.keyPasswordFile}; null when no certificate is configured.
     */
    static CertificateSource fromConfig(ConfigSource c) {
        return c.optional(TlsSettings.KEY_CERTIFICATE).map(path -> {
            SecretSource password = c.optional("tls.keyPasswordEnv").<SecretSource>map(SecretSource.EnvironmentVariable::new)
                    .or(() -> c.optional("tls.keyPasswordFile").map(f -> new SecretSource.File(Path.of(f))))
                    .orElse(SecretSource.none());
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".p12") || lower.endsWith(".pfx")) {
                return (CertificateSource) new Pkcs12File(Path.of(path), password);
            }
            String key = c.optional("tls.privateKey").orElseThrow(() -> new ConfigException(
                    "tls.privateKey is required with a PEM tls.certificate (" + path + ")"));
            return new PemFiles(Path.of(path), Path.of(key), password);
        }).orElse(null);
    }

    /**
     * PEM files: the chain (leaf first, then intermediates) and the private key (PKCS#8, or the older
     * PKCS#1/SEC1 forms OpenSSL writes; encrypted ones need {@code keyPassword}).
     */
    record PemFiles(Path certificateChain, Path privateKey, SecretSource keyPassword) implements CertificateSource {
        public PemFiles {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(privateKey, "privateKey");
            keyPassword = keyPassword == null ? SecretSource.none() : keyPassword;
        }

        public PemFiles(Path certificateChain, Path privateKey) {
            this(certificateChain, privateKey, SecretSource.none());
        }
    }

    /** A PKCS#12 key store holding exactly one private key entry with its chain. */
    record Pkcs12File(Path keyStore, SecretSource password) implements CertificateSource {
        public Pkcs12File {
            Objects.requireNonNull(keyStore, "keyStore");
            password = password == null ? SecretSource.none() : password;
        }
    }
}
