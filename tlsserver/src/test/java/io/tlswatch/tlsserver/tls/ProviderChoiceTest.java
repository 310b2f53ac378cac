package io.tlswatch.tlsserver.tls;

import io.tlswatch.contract.event.TlsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderChoiceTest {

    @ParameterizedTest
    @CsvSource({
            "AUTO,    true,  OPENSSL",
            "AUTO,    false, JDK",
            "OPENSSL, true,  OPENSSL",
            "JDK,     true,  JDK",
            "JDK,     false, JDK"})
    void choosesTheProvider(TlsSettings.ProviderPreference preference, boolean openSslAvailable,
                            TlsProvider expected) {
        // given the preference and whether the native library loaded
        // when
        TlsProvider chosen = ProviderChoice.choose(preference, openSslAvailable, null);

        // then
        assertThat(chosen).isEqualTo(expected);
    }

    @Test
    void refusesToStartWhenOpenSslIsRequiredButDidNotLoad() {
        // given
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no netty_tcnative_linux_aarch_64");

        // when / then
        assertThatThrownBy(() -> ProviderChoice.choose(TlsSettings.ProviderPreference.OPENSSL, false, cause))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageStartingWith("tls.provider is OPENSSL, but the OpenSSL provider (netty-tcnative BoringSSL) "
                        + "did not load: java.lang.UnsatisfiedLinkError: no netty_tcnative_linux_aarch_64");
    }
}
