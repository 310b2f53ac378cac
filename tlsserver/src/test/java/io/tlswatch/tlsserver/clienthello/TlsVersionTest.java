package io.tlswatch.tlsserver.clienthello;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TlsVersionTest {

    @Test
    void namesVersionsAsTheJdkDoes() {
        assertThat(TlsVersion.name(0x0300)).isEqualTo("SSLv3");
        assertThat(TlsVersion.name(0x0301)).isEqualTo("TLSv1");
        assertThat(TlsVersion.name(0x0302)).isEqualTo("TLSv1.1");
        assertThat(TlsVersion.name(0x0303)).isEqualTo("TLSv1.2");
        assertThat(TlsVersion.name(0x0304)).isEqualTo("TLSv1.3");
    }

    @Test
    void spellsOtherValuesAsHex() {
        assertThat(TlsVersion.name(0x7F1C)).isEqualTo("0x7f1c");
        assertThat(TlsVersion.name(0x0A0A)).isEqualTo("0x0a0a");
        assertThat(TlsVersion.of(0x0002)).isEmpty();
    }

    @Test
    void findsTheConstantOfAWireValue() {
        assertThat(TlsVersion.of(0x0303)).isEqualTo(Optional.of(TlsVersion.TLS_1_2));
        assertThat(TlsVersion.TLS_1_3.code()).isEqualTo(0x0304);
        assertThat(TlsVersion.TLS_1_0.jdkName()).isEqualTo("TLSv1");
    }
}
