package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.tlsserver.clienthello.CapturedHellos.Expected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class Ja4Test {

    private final ClientHelloParser parser = new ClientHelloParser();

    static List<Expected> clientHellos() {
        return CapturedHellos.clientHellos();
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void matchesTheIndependentJa4ForEveryCapture(Expected capture) {
        // given: expected values computed by reference_fingerprints.py from tshark's dissection (see the README)
        ClientHello hello = CapturedHellos.parsed(capture.name());

        // when
        Ja4 ja4 = Ja4.of(hello);

        // then
        assertThat(ja4.fingerprint()).isEqualTo(capture.ja4());
        assertThat(ja4.raw()).isEqualTo(capture.ja4Raw());
    }

    @Test
    void reproducesTheExampleOfTheSpecification() {
        // given: the cipher suites, extensions, signature algorithms and ALPN of the example in FoxIO's JA4.md
        HelloBytes bytes = new HelloBytes()
                .cipherSuites(0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC013, 0xC014,
                        0x009C, 0x009D, 0x002F, 0x0035);
        for (int type : new int[] {0x001B, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002D, 0x000D, 0x0005, 0x0023,
                0x0012, 0x002B, 0xFF01, 0x000B, 0x000A, 0x0015}) {
            switch (type) {
                case 0x0000 -> bytes.sni("example.com");
                case 0x0010 -> bytes.alpn("h2", "http/1.1");
                case 0x000D -> bytes.signatureAlgorithms(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601);
                case 0x002B -> bytes.supportedVersions(0x0304, 0x0303);
                case 0x000A -> bytes.supportedGroups(0x001D, 0x0017);
                case 0x000B -> bytes.ecPointFormats(0);
                default -> bytes.extension(type, new byte[0]);
            }
        }
        ClientHello hello = parser.parseRecords(bytes.records()).hello().orElseThrow();

        // when
        Ja4 ja4 = Ja4.of(hello);

        // then
        assertThat(ja4.fingerprint()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(ja4.raw()).isEqualTo("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,"
                + "cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_"
                + "0403,0804,0401,0503,0805,0501,0806,0601");
    }

    @Test
    void hashesAsTheSpecificationShowsWithAndWithoutSignatureAlgorithms() {
        assertThat(Ja4.hash12("0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01"))
                .isEqualTo("6d807ffa2a79");
        assertThat(Ja4.hash12("")).isEqualTo("000000000000");
    }

    @Test
    void endsPartCWithoutUnderscoreWhenNoSignatureAlgorithmsWereSent() {
        // when
        Ja4 ja4 = Ja4.of(CapturedHellos.parsed("jdk17-tls1-only"));

        // then
        assertThat(ja4.raw()).isEqualTo("t10i150700_002f,0032,0033,0035,0038,0039,00ff,c004,c005,c009,c00a,c00e,c00f,"
                + "c013,c014_0005,000a,000b,0011,0017,0023,002b");
        assertThat(ja4.fingerprint()).isEqualTo("t10i150700_0dfbaf47f5cc_ddcc4a856434");
    }

    @Test
    void writesZerosForAnEmptyExtensionList() {
        // given: only SNI and ALPN, which part c leaves out
        ClientHello hello = parse(new HelloBytes().sni("example.com").alpn("http/1.1"));

        // when
        Ja4 ja4 = Ja4.of(hello);

        // then
        assertThat(ja4.fingerprint()).isEqualTo("t12d0202h1_" + Ja4.hash12("002f,c02f") + "_000000000000");
        assertThat(ja4.raw()).isEqualTo("t12d0202h1_002f,c02f_");
    }

    @Test
    void ignoresGreaseValuesEverywhereIncludingSignatureAlgorithms() {
        // given: curl's hello, and the same with GREASE in suites, extensions, groups, versions, signature algorithms
        ClientHello plain = CapturedHellos.parsed("curl-7.88-openssl-3.0-sni");
        ClientHello greased = CapturedHellos.parsed("synthetic-curl-grease");

        // when / then
        assertThat(Ja4.of(greased)).isEqualTo(Ja4.of(plain));
    }

    @Test
    void staysTheSameWhenAClientReordersItsExtensions() {
        // given
        ClientHello plain = CapturedHellos.parsed("curl-7.88-openssl-3.0-sni");
        ClientHello permuted = CapturedHellos.parsed("synthetic-curl-permuted");

        // when / then
        assertThat(Ja4.of(permuted).fingerprint()).isEqualTo(Ja4.of(plain).fingerprint());
    }

    @Test
    void takesTheVersionFromSupportedVersionsIgnoringGreaseElseFromLegacyVersion() {
        assertThat(Ja4.of(parse(new HelloBytes().supportedVersions(0x7A7A, 0x0303, 0x0302))).fingerprint()).startsWith("t12");
        assertThat(Ja4.of(parse(new HelloBytes().legacyVersion(0x0302))).fingerprint()).startsWith("t11");
        assertThat(Ja4.of(parse(new HelloBytes().legacyVersion(0x0300))).fingerprint()).startsWith("ts3");
        assertThat(Ja4.of(parse(new HelloBytes().legacyVersion(0x0305))).fingerprint()).startsWith("t00");
    }

    @Test
    void capsTheCountsAt99() {
        // given: 120 cipher suites
        List<Integer> suites = IntStream.range(0, 120).map(i -> 0x0100 + i).boxed().toList();

        // when
        Ja4 ja4 = Ja4.of(parse(new HelloBytes().cipherSuites(suites)));

        // then
        assertThat(ja4.fingerprint()).startsWith("t12i990000_");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "h2, h2",
            "http/1.1, h1",
            "a, aa",
            "AB, ab",
            "ABCD, ad",
            "30AB, 3b",
            "3031ABCD, 3d",
            "30ABCD31, 01"})
    void takesTheFirstAndLastCharacterOfTheFirstAlpnValue(String value, String expected) {
        // given: hex strings stand for raw bytes, as in the specification's examples
        String protocol = value.matches("[0-9A-F]{2,}") ? bytes(value) : value;

        // when / then
        assertThat(Ja4.alpn(List.of(protocol, "ignored"))).isEqualTo(expected);
    }

    @Test
    void writesZerosWithoutAlpn() {
        assertThat(Ja4.alpn(List.of())).isEqualTo("00");
    }

    private ClientHello parse(HelloBytes bytes) {
        return parser.parseRecords(bytes.records()).hello().orElseThrow();
    }

    private static String bytes(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.ISO_8859_1);
    }
}
