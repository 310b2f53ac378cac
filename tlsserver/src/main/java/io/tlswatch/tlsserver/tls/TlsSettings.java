package io.tlswatch.tlsserver.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The TLS configuration of one listener: which protocols, suites and groups it enables, the certificate it
 * presents, whether it asks for client certificates, and which implementation runs it.
 *
 * <p>Suites are IANA names ({@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}), whatever the provider: the factory
 * maps them. Groups are IANA names too ({@code x25519}, {@code secp256r1}); the OpenSSL spellings
 * ({@code prime256v1}, {@code P-256}) are accepted as aliases. The record only holds values; {@link TlsPolicy}
 * decides whether they are acceptable and {@link ServerSslContextFactory} turns them into a context.
 *
 * @param protocols     enabled protocol versions, as the JDK names them ({@code TLSv1.2}, {@code TLSv1.3})
 * @param cipherSuites  enabled suites for TLS 1.2 and below and for TLS 1.3 together, IANA names, in preference
 *                      order
 * @param groups        key exchange groups, in preference order
 * @param certificate   the server's certificate and key; {@code null} when none is configured, in which case the
 *                      caller generates development ones with {@link DevCertificates} first
 * @param clientAuth    whether the server asks for a client certificate
 * @param clientCaFile  PEM file of the CAs that client certificates must chain to; required unless
 *                      {@code clientAuth} is {@link ClientAuthMode#NONE}
 * @param allowInsecure lets protocols and suites that {@link TlsPolicy} refuses through (the collector needs it)
 * @param provider      which TLS implementation to use
 */
public record TlsSettings(
        List<String> protocols,
        List<String> cipherSuites,
        List<String> groups,
        CertificateSource certificate,
        ClientAuthMode clientAuth,
        Path clientCaFile,
        boolean allowInsecure,
        ProviderPreference provider) {

    /** Setting keys, as configuration files and error messages name them. */
    public static final String KEY_PROTOCOLS = "tls.protocols";
    public static final String KEY_CIPHER_SUITES = "tls.cipherSuites";
    public static final String KEY_GROUPS = "tls.groups";
    public static final String KEY_CERTIFICATE = "tls.certificate";
    public static final String KEY_CLIENT_AUTH = "tls.clientAuth";
    public static final String KEY_CLIENT_CA_FILE = "tls.clientCaFile";
    public static final String KEY_ALLOW_INSECURE = "tls.allowInsecure";
    public static final String KEY_PROVIDER = "tls.provider";

    /** Mozilla server-side TLS guidelines 6.0, "intermediate": TLS 1.2 and 1.3, AEAD suites with ECDHE only. */
    public static final List<String> MOZILLA_INTERMEDIATE_PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

    /**
     * The 6.0 intermediate suites in Mozilla's order: the three TLS 1.3 suites, then ECDHE with AES-GCM and
     * ChaCha20-Poly1305 for TLS 1.2. Version 5.7 ended the 1.2 list with {@code TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256};
     * 6.0 dropped every DHE suite.
     */
    public static final List<String> MOZILLA_INTERMEDIATE_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * X25519, P-256, P-384. Mozilla 6.0 puts the hybrid {@code X25519MLKEM768} first; the JDK 17 provider cannot
     * offer it, so the default leaves it out and an operator on the OpenSSL provider may add it.
     */
    public static final List<String> MOZILLA_INTERMEDIATE_GROUPS = List.of("x25519", "secp256r1", "secp384r1");

    public TlsSettings {
        protocols = List.copyOf(Objects.requireNonNull(protocols, KEY_PROTOCOLS));
        cipherSuites = List.copyOf(Objects.requireNonNull(cipherSuites, KEY_CIPHER_SUITES));
        groups = List.copyOf(Objects.requireNonNull(groups, KEY_GROUPS));
        Objects.requireNonNull(clientAuth, KEY_CLIENT_AUTH);
        Objects.requireNonNull(provider, KEY_PROVIDER);
    }

    /** The default: Mozilla intermediate, no certificate yet (a development one), no client certificates, AUTO. */
    public static TlsSettings mozillaIntermediate() {
        return new TlsSettings(MOZILLA_INTERMEDIATE_PROTOCOLS, MOZILLA_INTERMEDIATE_CIPHER_SUITES,
                MOZILLA_INTERMEDIATE_GROUPS, null, ClientAuthMode.NONE, null, false, ProviderPreference.AUTO);
    }

    /**
     * <b>Insecure on purpose</b>: TLS 1.0 to 1.3 with CBC and RSA key-exchange suites, for the collector's
     * listener, which must hear from exactly the outdated clients the validator refuses. Never use it for the
     * license server. {@code allowInsecure} is set, since {@link TlsPolicy} would refuse it otherwise.
     *
     * <p>The suites are those that both BoringSSL and the JDK implement (no 3DES, which BoringSSL lacks, and no
     * CBC-SHA256/384). The JDK additionally disables TLS 1.0 and 1.1 JVM-wide through
     * {@code jdk.tls.disabledAlgorithms}: with the JDK provider those versions need that security property
     * changed too (see {@code docs/tls.md}).
     */
    public static TlsSettings insecureBroad() {
        return new TlsSettings(
                List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
                List.of(
                        "TLS_AES_128_GCM_SHA256",
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
                        "TLS_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_RSA_WITH_AES_256_CBC_SHA"),
                List.of("x25519", "secp256r1", "secp384r1", "secp521r1"),
                null, ClientAuthMode.NONE, null, true, ProviderPreference.AUTO);
    }

    public TlsSettings withProtocols(List<String> value) {
        return new TlsSettings(value, cipherSuites, groups, certificate, clientAuth, clientCaFile, allowInsecure,
                provider);
    }

    public TlsSettings withCipherSuites(List<String> value) {
        return new TlsSettings(protocols, value, groups, certificate, clientAuth, clientCaFile, allowInsecure,
                provider);
    }

    public TlsSettings withGroups(List<String> value) {
        return new TlsSettings(protocols, cipherSuites, value, certificate, clientAuth, clientCaFile, allowInsecure,
                provider);
    }

    public TlsSettings withCertificate(CertificateSource value) {
        return new TlsSettings(protocols, cipherSuites, groups, value, clientAuth, clientCaFile, allowInsecure,
                provider);
    }

    public TlsSettings withClientAuth(ClientAuthMode mode, Path caFile) {
        return new TlsSettings(protocols, cipherSuites, groups, certificate, mode, caFile, allowInsecure, provider);
    }

    public TlsSettings withAllowInsecure(boolean value) {
        return new TlsSettings(protocols, cipherSuites, groups, certificate, clientAuth, clientCaFile, value,
                provider);
    }

    public TlsSettings withProvider(ProviderPreference value) {
        return new TlsSettings(protocols, cipherSuites, groups, certificate, clientAuth, clientCaFile, allowInsecure,
                value);
    }

    /** Whether the server asks for client certificates. */
    public enum ClientAuthMode {
        NONE,
        /** Asks, and verifies one when sent, but completes the handshake without. */
        OPTIONAL,
        /** Fails the handshake without a client certificate that chains to {@code clientCaFile}. */
        REQUIRE
    }

    /** Which TLS implementation to run. */
    public enum ProviderPreference {
        /** OpenSSL (netty-tcnative BoringSSL) when its native library loads, else the JDK. */
        AUTO,
        /** OpenSSL only: start-up fails when it does not load. */
        OPENSSL,
        /** The JDK's JSSE. */
        JDK
    }
}
