package io.tlswatch.tlsserver.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.tlswatch.contract.event.TlsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class ServerSslContextFactoryTest {

    @TempDir
    static Path dir;

    private static TlsSettings settings;

    private final ServerSslContextFactory factory =
            new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of("http/1.1"));

    @BeforeAll
    static void developmentCertificate() {
        DevCertificateFiles dev = new DevCertificates(dir.resolve("dev"), List.of(), Clock.systemUTC()).ensure();
        settings = TlsSettings.mozillaIntermediate().withCertificate(dev.certificateSource());
    }

    @Test
    void autoPicksOpenSslWhereBoringSslLoads() {
        // given linux-x86_64, where the BoringSSL native library loads
        assumeThat(System.getProperty("os.arch")).isIn("amd64", "x86_64");
        assertThat(OpenSsl.isAvailable()).as("BoringSSL loads: %s", OpenSsl.unavailabilityCause()).isTrue();

        // when
        ServerTlsContext context = factory.create(settings);

        // then
        assertThat(context.provider()).isEqualTo(TlsProvider.OPENSSL);
        assertThat(context.sslContext().isServer()).isTrue();
    }

    @Test
    void givenMaterialLoadedByTheCaller_whenBuilt_thenThatMaterialIsServedWhateverTheSettingsName() throws Exception {
        // given key material that is not the one the settings point at
        TestPki.Issued ca = TestPki.ca("Material CA");
        TestPki.Issued leaf = TestPki.server(ca, TestPki.ec());
        ServerKeyMaterial material = new ServerKeyMaterial(leaf.keys().getPrivate(), List.of(leaf.certificate()));

        // when
        ServerTlsContext context = factory.create(settings, material, false);

        // then
        assertThat(context.certificateChain()).containsExactly(leaf.certificate());
    }

    @Test
    void givenOcspStaplingOnOpenSsl_whenAnEngineIsCreated_thenItTakesAResponseToStaple() {
        // given
        ServerKeyMaterial material = new KeyMaterialLoader().load(settings.certificate());
        ServerTlsContext stapling = factory.create(settings.withProvider(TlsSettings.ProviderPreference.OPENSSL),
                material, true);
        ServerTlsContext plain = factory.create(settings.withProvider(TlsSettings.ProviderPreference.OPENSSL),
                material, false);

        // when / then: only a context built for stapling accepts a response (any bytes will do before a handshake)
        var engine = (io.netty.handler.ssl.ReferenceCountedOpenSslEngine)
                stapling.sslContext().newEngine(ByteBufAllocator.DEFAULT);
        var plainEngine = (io.netty.handler.ssl.ReferenceCountedOpenSslEngine)
                plain.sslContext().newEngine(ByteBufAllocator.DEFAULT);
        try {
            engine.setOcspResponse(new byte[]{0x30, 0x03, 0x0a, 0x01, 0x00});
            assertThatThrownBy(() -> plainEngine.setOcspResponse(new byte[]{0x30, 0x03, 0x0a, 0x01, 0x00}))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            engine.release();
            plainEngine.release();
        }
    }

    @Test
    void forcingTheJdkGivesTheJdk() {
        // given / when
        ServerTlsContext context = factory.create(settings.withProvider(TlsSettings.ProviderPreference.JDK));

        // then
        assertThat(context.provider()).isEqualTo(TlsProvider.JDK);
    }

    @Test
    void autoFallsBackToTheJdkWhenTheNativeLibraryDidNotLoad() {
        // given
        ServerSslContextFactory withoutNative = new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(),
                List.of(), () -> new ServerSslContextFactory.NativeTls(false, new UnsatisfiedLinkError("test")));

        // when
        ServerTlsContext context = withoutNative.create(settings);

        // then
        assertThat(context.provider()).isEqualTo(TlsProvider.JDK);
        assertThatThrownBy(() -> withoutNative.create(settings.withProvider(TlsSettings.ProviderPreference.OPENSSL)))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith("tls.provider is OPENSSL, but the OpenSSL provider");
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void enginesEnableExactlyTheConfiguredProtocolsAndSuites(TlsSettings.ProviderPreference provider) {
        // given
        ServerTlsContext context = factory.create(settings.withProvider(provider));

        // when
        SSLEngine engine = context.sslContext().newEngine(ByteBufAllocator.DEFAULT);

        // then: Netty's OpenSSL engine always lists the pseudo-protocol SSLv2Hello, which BoringSSL cannot parse
        assertThat(engine.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello"))
                .containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
        assertThat(engine.getEnabledCipherSuites()).containsExactlyInAnyOrderElementsOf(
                TlsSettings.MOZILLA_INTERMEDIATE_CIPHER_SUITES);
        assertThat(context.enabled()).isEqualTo(EnabledTls.of(settings));
        assertThat(context.certificateChain()).hasSize(1);
    }

    @Test
    void refusesAGroupTheOpenSslProviderLacks() {
        // given
        TlsSettings ffdhe = settings.withGroups(List.of("x25519", "ffdhe2048"))
                .withProvider(TlsSettings.ProviderPreference.OPENSSL);

        // when / then
        assertThatThrownBy(() -> factory.create(ffdhe))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("tls.groups contains ffdhe2048, which the OpenSSL (BoringSSL) provider does not implement: "
                        + "remove it, or choose the other provider with tls.provider");
    }

    @Test
    void refusesAGroupTheJdkLacks() {
        // given
        TlsSettings hybrid = settings.withGroups(List.of("X25519MLKEM768", "x25519"))
                .withProvider(TlsSettings.ProviderPreference.JDK);

        // when / then
        assertThatThrownBy(() -> factory.create(hybrid))
                .hasMessageStartingWith("tls.groups contains X25519MLKEM768, which the JDK provider does not implement");
    }

    @Test
    void acceptsTheHybridGroupOnOpenSsl() {
        // given
        TlsSettings hybrid = settings.withGroups(List.of("X25519MLKEM768", "x25519", "secp256r1", "secp384r1"))
                .withProvider(TlsSettings.ProviderPreference.OPENSSL);

        // when / then
        assertThat(factory.create(hybrid).provider()).isEqualTo(TlsProvider.OPENSSL);
    }

    @Test
    void refusesASubsetOfTls13SuitesOnBoringSsl() {
        // given
        TlsSettings subset = settings.withCipherSuites(List.of("TLS_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")).withProvider(TlsSettings.ProviderPreference.OPENSSL);

        // when / then
        assertThatThrownBy(() -> factory.create(subset))
                .hasMessageContaining("the OpenSSL provider (BoringSSL) always enables exactly TLS_AES_128_GCM_SHA256, "
                        + "TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256")
                .hasMessageEndingWith("or set tls.provider=JDK");
        assertThat(factory.create(subset.withProvider(TlsSettings.ProviderPreference.JDK)).sslContext()
                .newEngine(ByteBufAllocator.DEFAULT).getEnabledCipherSuites())
                .containsExactly("TLS_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void refusesASuiteTheProviderDoesNotImplementInsteadOfDroppingIt() {
        // given 3DES, which BoringSSL removed
        TlsSettings tripleDes = settings.withAllowInsecure(true).withCipherSuites(List.of(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_RSA_WITH_3DES_EDE_CBC_SHA")).withProvider(TlsSettings.ProviderPreference.OPENSSL);

        // when / then
        assertThatThrownBy(() -> factory.create(tripleDes))
                .hasMessageStartingWith("tls.cipherSuites contains TLS_RSA_WITH_3DES_EDE_CBC_SHA, which the OpenSSL "
                        + "(BoringSSL) provider does not implement");
    }

    @Test
    void refusesPolicyViolationsBeforeTouchingAnything() {
        // given
        TlsSettings old = settings.withProtocols(List.of("TLSv1.1", "TLSv1.2", "TLSv1.3"));

        // when / then
        assertThatThrownBy(() -> factory.create(old))
                .hasMessage("tls.protocols contains TLSv1.1: set tls.allowInsecure=true to allow it");
    }

    @Test
    void refusesToBuildWithoutACertificate() {
        // given
        TlsSettings none = TlsSettings.mozillaIntermediate();

        // when / then
        assertThatThrownBy(() -> factory.create(none))
                .hasMessageStartingWith("tls.certificate is not set");
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void theInsecureBroadProfileBuildsOnBothProviders(TlsSettings.ProviderPreference provider) {
        // given
        TlsSettings broad = TlsSettings.insecureBroad().withCertificate(settings.certificate()).withProvider(provider);

        // when
        ServerTlsContext context = factory.create(broad);

        // then
        assertThat(context.sslContext().newEngine(ByteBufAllocator.DEFAULT).getEnabledProtocols())
                .contains("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    }
}
