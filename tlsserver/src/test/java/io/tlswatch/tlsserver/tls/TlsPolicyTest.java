package io.tlswatch.tlsserver.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsPolicyTest {

    private final TlsPolicy policy = new TlsPolicy();
    private final TlsSettings defaults = TlsSettings.mozillaIntermediate();

    @Test
    void acceptsTheDefaultProfile() {
        // given the Mozilla intermediate defaults
        // when / then
        assertThat(policy.problems(defaults)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSLv3", "TLSv1", "TLSv1.1", "SSLv2Hello"})
    void refusesLegacyProtocolsAndNamesTheSetting(String protocol) {
        // given
        TlsSettings settings = defaults.withProtocols(List.of(protocol, "TLSv1.2", "TLSv1.3"));

        // when / then
        assertThatThrownBy(() -> policy.enforce(settings))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("tls.protocols contains " + protocol + ": set tls.allowInsecure=true to allow it");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA       | not AEAD",
            "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384  | not AEAD",
            "TLS_RSA_WITH_AES_128_GCM_SHA256          | no forward secrecy",
            "TLS_RSA_WITH_AES_128_CBC_SHA             | no forward secrecy, not AEAD",
            "TLS_RSA_WITH_3DES_EDE_CBC_SHA            | no forward secrecy, not AEAD, 64-bit block 3DES",
            "SSL_RSA_WITH_3DES_EDE_CBC_SHA            | no forward secrecy, not AEAD, 64-bit block 3DES",
            "TLS_ECDH_ECDSA_WITH_AES_128_GCM_SHA256   | no forward secrecy",
            "TLS_DH_RSA_WITH_AES_128_GCM_SHA256       | no forward secrecy",
            "TLS_PSK_WITH_AES_128_GCM_SHA256          | no forward secrecy",
            "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256      | no forward secrecy",
            "TLS_DHE_RSA_WITH_AES_128_CBC_SHA         | not AEAD"})
    void refusesLegacySuitesAndSaysWhy(String suite, String why) {
        // given
        List<String> suites = new ArrayList<>(defaults.cipherSuites());
        suites.add(suite);
        TlsSettings settings = defaults.withCipherSuites(suites);

        // when / then
        assertThatThrownBy(() -> policy.enforce(settings))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessage("tls.cipherSuites contains " + suite + " (" + why
                        + "): set tls.allowInsecure=true to allow it");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "TLS_RSA_WITH_NULL_SHA256",
            "TLS_ECDHE_RSA_WITH_NULL_SHA",
            "TLS_RSA_WITH_RC4_128_SHA",
            "TLS_ECDHE_RSA_WITH_RC4_128_SHA",
            "TLS_RSA_EXPORT_WITH_RC4_40_MD5",
            "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA",
            "TLS_RSA_WITH_DES_CBC_SHA",
            "TLS_DH_anon_WITH_AES_128_GCM_SHA256",
            "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"})
    void refusesBrokenSuitesEvenWhenInsecureIsAllowed(String suite) {
        // given
        List<String> suites = new ArrayList<>(defaults.cipherSuites());
        suites.add(suite);
        TlsSettings settings = defaults.withCipherSuites(suites).withAllowInsecure(true);

        // when / then
        assertThat(policy.problems(settings))
                .singleElement().asString()
                .startsWith("tls.cipherSuites contains " + suite + " (")
                .endsWith("), which is never allowed");
    }

    @Test
    void allowInsecureLetsLegacyProtocolsAndSuitesThrough() {
        // given
        TlsSettings settings = defaults
                .withProtocols(List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"))
                .withCipherSuites(List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                        "TLS_RSA_WITH_AES_128_CBC_SHA"))
                .withAllowInsecure(true);

        // when / then
        assertThat(policy.problems(settings)).isEmpty();
    }

    @Test
    void insecureBroadProfilePassesOnlyBecauseItAllowsInsecure() {
        // given
        TlsSettings broad = TlsSettings.insecureBroad();

        // when / then
        assertThat(policy.problems(broad)).isEmpty();
        assertThat(policy.problems(broad.withAllowInsecure(false)))
                .contains("tls.protocols contains TLSv1: set tls.allowInsecure=true to allow it",
                        "tls.cipherSuites contains TLS_RSA_WITH_AES_128_CBC_SHA (no forward secrecy, not AEAD): "
                                + "set tls.allowInsecure=true to allow it");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        // given
        TlsSettings settings = defaults
                .withProtocols(List.of("TLSv1", "TLSv1.2", "TLSv1.3"))
                .withCipherSuites(List.of("TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"));

        // when / then
        assertThatThrownBy(() -> policy.enforce(settings))
                .hasMessage("tls.protocols contains TLSv1: set tls.allowInsecure=true to allow it; "
                        + "tls.cipherSuites contains TLS_RSA_WITH_AES_128_CBC_SHA (no forward secrecy, not AEAD): "
                        + "set tls.allowInsecure=true to allow it");
    }

    @Test
    void refusesSslv2EvenWhenInsecureIsAllowed() {
        // given
        TlsSettings settings = defaults.withProtocols(List.of("SSLv2", "TLSv1.2")).withAllowInsecure(true);

        // when / then
        assertThat(policy.problems(settings))
                .containsExactly("tls.protocols contains SSLv2, which no provider implements and nothing may use");
    }

    @Test
    void refusesInvalidSettingsWhateverInsecureSays() {
        // given
        TlsSettings settings = defaults
                .withProtocols(List.of("TLSv1.2", "TLSv1.4"))
                .withCipherSuites(List.of("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
                .withGroups(List.of("x25519", "secp192r1", "X25519"))
                .withClientAuth(TlsSettings.ClientAuthMode.REQUIRE, null)
                .withAllowInsecure(true);

        // when
        List<String> problems = policy.problems(settings);

        // then
        assertThat(problems).containsExactly(
                "tls.protocols contains unknown protocol 'TLSv1.4' (known: SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, "
                        + "SSLv2Hello)",
                "tls.cipherSuites contains 'ECDHE-ECDSA-AES128-GCM-SHA256', which is not an IANA cipher suite name "
                        + "(e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)",
                "tls.cipherSuites lists TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 twice",
                "tls.groups contains unknown or unsupported group 'secp192r1' (known: x25519, secp256r1, secp384r1, "
                        + "secp521r1, x448, ffdhe2048 to ffdhe8192, X25519MLKEM768)",
                "tls.groups lists X25519 twice",
                "tls.clientCaFile is required when tls.clientAuth is REQUIRE");
    }

    @Test
    void refusesAProtocolThatNoConfiguredSuiteCanNegotiate() {
        // given
        TlsSettings onlyTls12Suites = defaults.withCipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        TlsSettings onlyTls13Suites = defaults.withCipherSuites(List.of("TLS_AES_128_GCM_SHA256"));

        // when / then
        assertThat(policy.problems(onlyTls12Suites))
                .containsExactly("tls.cipherSuites has no TLS 1.3 suite, but tls.protocols enables TLSv1.3");
        assertThat(policy.problems(onlyTls13Suites))
                .containsExactly("tls.cipherSuites has no suite for TLS 1.2 or below, but tls.protocols enables TLSv1.2");
        assertThat(policy.problems(onlyTls13Suites.withProtocols(List.of("TLSv1.3")))).isEmpty();
    }

    @Test
    void refusesEmptyLists() {
        // given
        TlsSettings settings = defaults.withProtocols(List.of()).withCipherSuites(List.of()).withGroups(List.of());

        // when / then
        assertThat(policy.problems(settings)).containsExactly(
                "tls.protocols is empty: enable TLSv1.2 and TLSv1.3",
                "tls.cipherSuites is empty",
                "tls.groups is empty: enable x25519, secp256r1, secp384r1");
    }

    @Test
    void acceptsGroupAliasesAndClientAuthWithACaFile() {
        // given
        TlsSettings settings = defaults.withGroups(List.of("X25519", "prime256v1", "P-384", "X25519MLKEM768"))
                .withClientAuth(TlsSettings.ClientAuthMode.OPTIONAL, Path.of("/etc/tlswatch/client-ca.pem"));

        // when / then
        assertThat(policy.problems(settings)).isEmpty();
    }
}
