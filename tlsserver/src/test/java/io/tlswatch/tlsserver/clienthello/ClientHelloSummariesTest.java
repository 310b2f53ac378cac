package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.contract.event.ClientHelloSummary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClientHelloSummariesTest {

    @Test
    void namesEveryCodePointLeavesGreaseOutAndCarriesBothFingerprints() {
        // given a hello with GREASE in ciphers, extensions, versions and groups
        ClientHello hello = new ClientHello(0x0303, 32,
                List.of(0x0a0a, 0x1301, 0xc02b, 0x9999),
                List.of(0),
                List.of(0x1a1a, 0, 10, 13, 16, 43),
                List.of(0x2a2a, 0x0304, 0x0303),
                List.of(0x3a3a, 0x001d, 0x0017),
                List.of(0),
                List.of(0x0403, 0x0804),
                List.of("h2"),
                "licenses.example.com");

        // when
        ClientHelloSummary summary = ClientHelloSummaries.of(hello);

        // then
        assertThat(summary.legacyVersion()).isEqualTo("TLSv1.2");
        assertThat(summary.supportedVersions()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(summary.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "0x9999");
        assertThat(summary.extensions()).containsExactly(0, 10, 13, 16, 43);
        assertThat(summary.supportedGroups()).containsExactly("x25519", "secp256r1");
        assertThat(summary.signatureAlgorithms()).containsExactly("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256");
        assertThat(summary.highestOfferedVersion()).isEqualTo("TLSv1.3");
        assertThat(summary.sni()).isEqualTo("licenses.example.com");
        assertThat(summary.ja3()).isEqualTo(Ja3.of(hello).text());
        assertThat(summary.ja4()).isEqualTo(Ja4.of(hello).fingerprint()).startsWith("t13d");
    }
}
