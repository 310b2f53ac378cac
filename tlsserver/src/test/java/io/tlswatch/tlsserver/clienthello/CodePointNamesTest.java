package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.tlsserver.clienthello.CapturedHellos.Expected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLContext;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class CodePointNamesTest {

    static List<Expected> clientHellos() {
        return CapturedHellos.clientHellos();
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void namesEverythingTheCapturedClientsOffer(Expected capture) {
        // given
        ClientHello hello = CapturedHellos.parsed(capture.name());

        // when / then: no capture needs a hex fallback, GREASE aside
        assertThat(Grease.without(hello.cipherSuites())).map(CipherSuites::name).noneMatch(name -> name.startsWith("0x"));
        assertThat(Grease.without(hello.supportedGroups())).map(NamedGroups::name).noneMatch(name -> name.startsWith("0x"));
        assertThat(Grease.without(hello.signatureAlgorithms())).map(SignatureSchemes::name)
                .noneMatch(name -> name.startsWith("0x"));
        assertThat(Grease.without(hello.extensions())).map(ExtensionTypes::name).noneMatch(name -> name.startsWith("0x"));
    }

    @Test
    void namesTheSuitesOfAJdk17ClientAsTheJdkDoesWithTheIanaPrefix() {
        // given: what JDK 17.0.15's SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites() listed,
        // recorded on the machine that captured jdk17-httpsurlconnection, SSL_ spelled TLS_ as IANA does
        List<String> jdkNames = List.of(
                "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
                "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
                "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
                "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256",
                "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA",
                "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");

        // when
        List<String> ours = CapturedHellos.parsed("jdk17-httpsurlconnection").cipherSuites().stream()
                .map(CipherSuites::name).toList();

        // then
        assertThat(ours).isEqualTo(jdkNames);
    }

    @Test
    void namesEverySuiteTheRunningJdkSupports() throws Exception {
        // given
        Set<String> ours = IntStream.rangeClosed(0, 0xFFFF).mapToObj(CipherSuites::name)
                .filter(name -> !name.startsWith("0x")).collect(Collectors.toSet());

        // when
        List<String> jdk = Arrays.stream(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites())
                .map(name -> name.startsWith("SSL_") ? "TLS_" + name.substring(4) : name)
                .toList();

        // then
        assertThat(ours).containsAll(jdk);
    }

    @Test
    void namesSuitesByIanaIncludingSignallingValues() {
        assertThat(CipherSuites.name(0x1301)).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(CipherSuites.name(0xC02F)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(CipherSuites.name(0x000A)).isEqualTo("TLS_RSA_WITH_3DES_EDE_CBC_SHA");
        assertThat(CipherSuites.name(0x0004)).isEqualTo("TLS_RSA_WITH_RC4_128_MD5");
        assertThat(CipherSuites.name(0x00FF)).isEqualTo("TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
        assertThat(CipherSuites.name(0x5600)).isEqualTo("TLS_FALLBACK_SCSV");
        assertThat(CipherSuites.isKnown(0xCCA8)).isTrue();
    }

    @Test
    void spellsUnknownCodePointsAsLowercaseHex() {
        assertThat(CipherSuites.name(0x0A0A)).isEqualTo("0x0a0a");
        assertThat(CipherSuites.isKnown(0x0A0A)).isFalse();
        assertThat(NamedGroups.name(0xABCD)).isEqualTo("0xabcd");
        assertThat(SignatureSchemes.name(0xFAFA)).isEqualTo("0xfafa");
        assertThat(ExtensionTypes.name(0x1A1A)).isEqualTo("0x1a1a");
    }

    @Test
    void namesGroupsAsTheJdkAndIanaDo() {
        assertThat(NamedGroups.name(0x001D)).isEqualTo("x25519");
        assertThat(NamedGroups.name(0x0017)).isEqualTo("secp256r1");
        assertThat(NamedGroups.name(0x0100)).isEqualTo("ffdhe2048");
        assertThat(NamedGroups.name(0x11EC)).isEqualTo("X25519MLKEM768");
    }

    @Test
    void namesLegacyHashSignaturePairsAsTheJdkDoes() {
        assertThat(SignatureSchemes.name(0x0403)).isEqualTo("ecdsa_secp256r1_sha256");
        assertThat(SignatureSchemes.name(0x0804)).isEqualTo("rsa_pss_rsae_sha256");
        assertThat(SignatureSchemes.name(0x0402)).isEqualTo("dsa_sha256");
        assertThat(SignatureSchemes.name(0x0301)).isEqualTo("rsa_sha224");
        assertThat(SignatureSchemes.name(0x0101)).isEqualTo("rsa_md5");
        assertThat(SignatureSchemes.name(0x0704)).isEqualTo("eccsi_sha256");
    }

    @Test
    void namesExtensions() {
        assertThat(ExtensionTypes.name(0)).isEqualTo("server_name");
        assertThat(ExtensionTypes.name(16)).isEqualTo("application_layer_protocol_negotiation");
        assertThat(ExtensionTypes.name(43)).isEqualTo("supported_versions");
        assertThat(ExtensionTypes.name(0xFF01)).isEqualTo("renegotiation_info");
    }
}
