package io.tlswatch.tlsserver.tls;

import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.tlsserver.classify.ProviderFailureClassifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What a real client can negotiate with the server the factory builds, on both providers: the default profile
 * offers TLS 1.2 and 1.3 with AEAD and forward-secret suites only, {@code allowInsecure} reaches TLS 1.0, the
 * configured groups are the only ones used, and clients that trust the development CA verify the server.
 */
class TlsProfileIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    private static DevCertificateFiles dev;
    private static CertificateSource rsaCertificate;
    private static Path clientCaFile;

    private final ServerSslContextFactory factory =
            new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of("http/1.1"));

    @BeforeAll
    static void certificates() throws Exception {
        dev = new DevCertificates(dir.resolve("dev"), List.of(), Clock.systemUTC()).ensure();
        TestPki.Issued ca = TestPki.ca("rsa test CA");
        TestPki.server(ca, TestPki.rsa(2048)).write(dir, "rsa-server");
        rsaCertificate = new CertificateSource.PemFiles(dir.resolve("rsa-server.pem"),
                dir.resolve("rsa-server-key.pem"));
        TestPki.Issued clientCa = TestPki.ca("client CA");
        clientCaFile = clientCa.write(dir, "client-ca");
        Instant now = Instant.now();
        TestPki.client(clientCa, "good client", now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)))
                .write(dir, "good-client");
    }

    @BeforeEach
    void clientsPresent() {
        assumeThat(TlsClients.opensslPresent()).as("openssl").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void defaultProfileNegotiatesOnlyTheAeadForwardSecretSuitesOfItsCertificateType(
            TlsSettings.ProviderPreference provider) throws Exception {
        // given every TLS 1.2 suite this openssl knows, offered one at a time
        List<String> suites = opensslTls12Suites();
        assertThat(suites).hasSizeGreaterThan(50).contains("AES128-SHA", "ECDHE-ECDSA-AES128-SHA", "NULL-SHA256");

        // when
        Set<String> ecdsa = acceptedTls12Suites(defaults(provider), suites);
        Set<String> rsa = acceptedTls12Suites(defaults(provider).withCertificate(rsaCertificate), suites);

        // then
        assertThat(ecdsa).containsExactlyInAnyOrder("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(rsa).containsExactlyInAnyOrder("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void defaultProfileSpeaksTls12AndTls13Only(TlsSettings.ProviderPreference provider) throws Exception {
        // given
        ServerTlsContext context = factory.create(defaults(provider));

        // when
        TestTlsServer.Outcome tls12 = handshake(context, "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        TestTlsServer.Outcome tls13 = handshake(context, "-tls1_3");
        TestTlsServer.Outcome tls11 = handshake(context, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        TestTlsServer.Outcome tls10 = handshake(context, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0");

        // then
        assertThat(tls12.success()).isTrue();
        assertThat(tls12.protocol()).isEqualTo("TLSv1.2");
        assertThat(tls12.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(tls13.success()).isTrue();
        assertThat(tls13.protocol()).isEqualTo("TLSv1.3");
        assertThat(tls11.success()).isFalse();
        assertThat(tls10.success()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void tls13NegotiatesEachStandardSuite(TlsSettings.ProviderPreference provider) throws Exception {
        // given
        ServerTlsContext context = factory.create(defaults(provider));
        List<String> accepted = new ArrayList<>();

        // when
        for (String suite : List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_CCM_SHA256")) {
            TestTlsServer.Outcome outcome = handshake(context, "-tls1_3", "-ciphersuites", suite);
            if (outcome.success()) {
                accepted.add(outcome.cipherSuite());
            }
        }

        // then
        assertThat(accepted).containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void allowInsecureLetsTls10Through(TlsSettings.ProviderPreference provider) throws Exception {
        // given the collector's broad profile
        ServerTlsContext context = factory.create(TlsSettings.insecureBroad()
                .withCertificate(dev.certificateSource()).withProvider(provider));

        // when
        TestTlsServer.Outcome tls10 = handshake(context, "-tls1", "-cipher", "DEFAULT@SECLEVEL=0");

        // then: BoringSSL negotiates it; the JDK still refuses TLS 1.0 JVM-wide through jdk.tls.disabledAlgorithms,
        // which only the operator can change (docs/tls.md)
        if (provider == TlsSettings.ProviderPreference.OPENSSL) {
            assertThat(tls10.success()).isTrue();
            assertThat(tls10.protocol()).isEqualTo("TLSv1");
            assertThat(tls10.cipherSuite()).isIn(TlsSettings.insecureBroad().cipherSuites());
        } else {
            assertThat(tls10.success()).isFalse();
            assertThat(new ProviderFailureClassifier(context.enabled()).classify(tls10.failure()).reason())
                    .isEqualTo(FailureReason.PROTOCOL_VERSION);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void onlyTheConfiguredGroupsAreNegotiated(TlsSettings.ProviderPreference provider) throws Exception {
        // given a server limited to P-384, and clients preferring X25519
        ServerTlsContext context = factory.create(defaults(provider).withGroups(List.of("secp384r1")));

        // when
        String tls13 = opensslOutput(context, "-tls1_3", "-groups", "X25519:P-384");
        String tls12 = opensslOutput(context, "-tls1_2", "-groups", "X25519:P-256:P-384");
        TestTlsServer.Outcome x25519Only = handshake(context, "-tls1_3", "-groups", "X25519");

        // then
        assertThat(tls13).contains("Server Temp Key: ECDH, secp384r1");
        assertThat(tls12).contains("Server Temp Key: ECDH, secp384r1");
        assertThat(x25519Only.success()).isFalse();
        assertThat(new ProviderFailureClassifier(context.enabled()).classify(x25519Only.failure()).reason())
                .isEqualTo(FailureReason.NO_SHARED_GROUP);
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void clientsThatTrustTheDevelopmentCaVerifyTheServer(TlsSettings.ProviderPreference provider) throws Exception {
        // given
        ServerTlsContext context = factory.create(defaults(provider));

        // when
        String byName = opensslOutput(context, "-verify_return_error", "-CAfile", dev.caCertificate().toString(),
                "-verify_hostname", "localhost");
        String byAddress = opensslOutput(context, "-verify_return_error", "-CAfile", dev.caCertificate().toString(),
                "-verify_ip", "127.0.0.1");
        String otherName = opensslOutput(context, "-verify_return_error", "-CAfile", dev.caCertificate().toString(),
                "-verify_hostname", "example.com");

        // then
        assertThat(byName).contains("Verify return code: 0 (ok)");
        assertThat(byAddress).contains("Verify return code: 0 (ok)");
        assertThat(otherName).doesNotContain("Verify return code: 0 (ok)");
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void mutualTlsAcceptsAClientCertificateFromTheConfiguredCa(TlsSettings.ProviderPreference provider)
            throws Exception {
        // given
        TlsSettings settings = defaults(provider);
        ServerTlsContext required = factory.create(
                settings.withClientAuth(TlsSettings.ClientAuthMode.REQUIRE, clientCaFile));
        ServerTlsContext optional = factory.create(
                settings.withClientAuth(TlsSettings.ClientAuthMode.OPTIONAL, clientCaFile));

        // when
        TestTlsServer.Outcome withCertificate = handshake(required, "-cert",
                dir.resolve("good-client.pem").toString(), "-key", dir.resolve("good-client-key.pem").toString());
        TestTlsServer.Outcome optionalWithout = handshake(optional, "-tls1_2");

        // then
        assertThat(withCertificate.success()).isTrue();
        assertThat(optionalWithout.success()).isTrue();
    }

    private TlsSettings defaults(TlsSettings.ProviderPreference provider) {
        return TlsSettings.mozillaIntermediate().withCertificate(dev.certificateSource()).withProvider(provider);
    }

    private Set<String> acceptedTls12Suites(TlsSettings settings, List<String> suites) throws Exception {
        ServerTlsContext context = factory.create(settings);
        Set<String> accepted = new TreeSet<>();
        try (TestTlsServer server = TestTlsServer.start(context, TIMEOUT)) {
            for (String suite : suites) {
                TlsClients.openssl(server.port(), "-tls1_2", "-cipher", suite + "@SECLEVEL=0");
                TestTlsServer.Outcome outcome = server.next();
                if (outcome.success()) {
                    accepted.add(outcome.cipherSuite());
                }
            }
        }
        return accepted;
    }

    private static List<String> opensslTls12Suites() throws Exception {
        TlsClients.Result result = TlsClients.run(List.of(TlsClients.OPENSSL.toString(), "ciphers", "-tls1_2",
                "ALL:COMPLEMENTOFALL:@SECLEVEL=0"));
        // TLS 1.3 suites are listed too; their names start with TLS_, OpenSSL's 1.2 names never do.
        return Arrays.stream(result.output().strip().split(":")).filter(s -> !s.startsWith("TLS_")).toList();
    }

    private static TestTlsServer.Outcome handshake(ServerTlsContext context, String... options) throws Exception {
        try (TestTlsServer server = TestTlsServer.start(context, TIMEOUT)) {
            TlsClients.openssl(server.port(), options);
            return server.next();
        }
    }

    private static String opensslOutput(ServerTlsContext context, String... options) throws Exception {
        try (TestTlsServer server = TestTlsServer.start(context, TIMEOUT)) {
            TlsClients.Result result = TlsClients.openssl(server.port(), options);
            server.next();
            return result.output();
        }
    }
}
