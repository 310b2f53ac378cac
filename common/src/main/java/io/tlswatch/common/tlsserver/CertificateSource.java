package io.tlswatch.common.tlsserver;

import java.nio.file.Path;
import java.util.Objects;

/** Where the server's certificate chain and private key come from. */
public sealed interface CertificateSource {

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
