package io.tlswatch.tlsserver.tls;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsSettingsTest {

    @Test
    void defaultsAreMozillaIntermediateSixPointZero() {
        // given / when
        TlsSettings settings = TlsSettings.mozillaIntermediate();

        // then: guidelines 6.0 "intermediate", in Mozilla's order
        assertThat(settings.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(settings.cipherSuites()).containsExactly(
                "TLS_AES_128_GCM_SHA256",
                "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(settings.groups()).containsExactly("x25519", "secp256r1", "secp384r1");
        assertThat(settings.allowInsecure()).isFalse();
        assertThat(settings.clientAuth()).isEqualTo(TlsSettings.ClientAuthMode.NONE);
        assertThat(settings.provider()).isEqualTo(TlsSettings.ProviderPreference.AUTO);
        assertThat(settings.certificate()).isNull();
    }

    @Test
    void defaultSuitesAreAllAeadWithForwardSecrecy() {
        // given
        TlsSettings settings = TlsSettings.mozillaIntermediate();

        // when / then: no DHE suite either, which 5.7 still had and 6.0 dropped
        assertThat(settings.cipherSuites())
                .allMatch(CipherSuiteRules::isAead)
                .allMatch(CipherSuiteRules::isForwardSecret)
                .noneMatch(suite -> suite.startsWith("TLS_DHE_"));
    }

    @Test
    void insecureBroadProfileSaysSoAndReachesTlsOne() {
        // given / when
        TlsSettings broad = TlsSettings.insecureBroad();

        // then
        assertThat(broad.allowInsecure()).isTrue();
        assertThat(broad.protocols()).containsExactly("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        assertThat(broad.cipherSuites()).contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA");
    }

    @Test
    void withersChangeOneFieldOnly() {
        // given
        TlsSettings settings = TlsSettings.mozillaIntermediate();

        // when
        TlsSettings changed = settings.withProvider(TlsSettings.ProviderPreference.JDK).withAllowInsecure(true);

        // then
        assertThat(changed.provider()).isEqualTo(TlsSettings.ProviderPreference.JDK);
        assertThat(changed.allowInsecure()).isTrue();
        assertThat(changed.cipherSuites()).isEqualTo(settings.cipherSuites());
        assertThat(changed.protocols()).isEqualTo(settings.protocols());
    }
}
