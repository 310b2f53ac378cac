package io.tlswatch.streams.event;

import io.tlswatch.streams.event.TlsVersions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsVersionsTest {

    @Test
    void readsTheHighestOfferedVersionFromAJa4() {
        assertThat(TlsVersions.fromJa4("t13d1516h2_8daaf6152771_02713d6af862")).isEqualTo("TLSv1.3");
        assertThat(TlsVersions.fromJa4("t10d170700_3a4a2da7fd80_1dcd6a1a8c5f")).isEqualTo("TLSv1");
        assertThat(TlsVersions.fromJa4("ts3d0100_x_y")).isEqualTo("SSLv3");
        assertThat(TlsVersions.fromJa4("t00d0000_x_y")).isNull();
        assertThat(TlsVersions.fromJa4(null)).isNull();
    }

    @Test
    void onlyKnownVersionsBelowTls12AreOutdated() {
        assertThat(TlsVersions.outdated("TLSv1.1")).isTrue();
        assertThat(TlsVersions.outdated("SSLv3")).isTrue();
        assertThat(TlsVersions.outdated("TLSv1.2")).isFalse();
        assertThat(TlsVersions.outdated("0x7f1c")).isFalse();
    }

    @Test
    void aeadSuitesAreRecognisedByName() {
        assertThat(TlsVersions.aead("TLS_AES_128_GCM_SHA256")).isTrue();
        assertThat(TlsVersions.aead("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")).isTrue();
        assertThat(TlsVersions.aead("TLS_RSA_WITH_AES_128_CCM_8")).isTrue();
        assertThat(TlsVersions.aead("TLS_RSA_WITH_AES_128_CBC_SHA")).isFalse();
    }

    @Test
    void maxPrefersTheHigherKnownVersion() {
        assertThat(TlsVersions.max("TLSv1", "TLSv1.2")).isEqualTo("TLSv1.2");
        assertThat(TlsVersions.max(null, "TLSv1")).isEqualTo("TLSv1");
        assertThat(TlsVersions.below("TLSv1.2", "TLSv1.3")).isTrue();
    }
}
