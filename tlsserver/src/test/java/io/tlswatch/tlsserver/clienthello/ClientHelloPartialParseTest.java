package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.contract.event.ClientHelloSummary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hello whose fixed part is whole but one of whose extensions is malformed: the parse fails, and keeps the hello
 * as far as it was read for the handshake event.
 */
class ClientHelloPartialParseTest {

    private final ClientHelloParser parser = new ClientHelloParser();

    /** signature_algorithms whose list announces one byte more than the extension holds, as conformance suites send. */
    private static final byte[] OVERRUNNING_SIGNATURE_ALGORITHMS = {0, 5, 0x04, 0x03, 0x08, 0x04};

    @Test
    void aMalformedSignatureAlgorithmsExtensionKeepsTheFixedPartAndTheExtensionsBeforeIt() {
        // given a hello: suites, then SNI, supported_versions and groups, then a malformed signature_algorithms,
        // then ALPN
        byte[] body = new HelloBytes()
                .cipherSuites(0x1301, 0xc02b)
                .sni("licenses.example.com")
                .supportedVersions(0x0304, 0x0303)
                .supportedGroups(0x001d)
                .extension(ExtensionTypes.SIGNATURE_ALGORITHMS, OVERRUNNING_SIGNATURE_ALGORITHMS)
                .alpn("h2")
                .body();

        // when
        ParseResult result = parser.parseHandshakeBody(body);

        // then it fails as a malformed extension, with the hello up to the bad extension
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class, failed -> {
            assertThat(failed.error()).isEqualTo(ParseError.MALFORMED_EXTENSION);
            assertThat(failed.detail()).isEqualTo("signature_algorithms length 5 is not a positive even number");
        });
        assertThat(result.hello()).isEmpty();
        PartialClientHello partial = result.partialHello().orElseThrow();
        assertThat(partial.failedExtension()).isEqualTo(ExtensionTypes.SIGNATURE_ALGORITHMS);
        assertThat(partial.failedExtensionName()).isEqualTo("signature_algorithms");
        ClientHello hello = partial.hello();
        assertThat(hello.legacyVersion()).isEqualTo(0x0303);
        assertThat(hello.cipherSuites()).containsExactly(0x1301, 0xc02b);
        assertThat(hello.compressionMethods()).containsExactly(0);
        assertThat(hello.extensions()).containsExactly(ExtensionTypes.SERVER_NAME, ExtensionTypes.SUPPORTED_VERSIONS,
                ExtensionTypes.SUPPORTED_GROUPS);
        assertThat(hello.sni()).isEqualTo("licenses.example.com");
        assertThat(hello.supportedVersions()).containsExactly(0x0304, 0x0303);
        assertThat(hello.supportedGroups()).containsExactly(0x001d);
        // and nothing of the bad extension nor of what came after it
        assertThat(hello.signatureAlgorithms()).isEmpty();
        assertThat(hello.alpn()).isEmpty();
    }

    @Test
    void anExtensionWithTrailingBytesKeepsNoneOfItsList() {
        // given supported_groups whose list is 2 bytes shorter than the extension, after supported_versions
        byte[] body = new HelloBytes()
                .supportedVersions(0x0304)
                .extension(ExtensionTypes.SUPPORTED_GROUPS, new byte[] {0, 2, 0, 29, 0, 23})
                .body();

        // when
        ParseResult result = parser.parseRecords(HelloBytes.records(HelloBytes.handshake(body), 1000));

        // then the half-read list is not kept, and the extension is not listed
        PartialClientHello partial = result.partialHello().orElseThrow();
        assertThat(partial.failedExtensionName()).isEqualTo("supported_groups");
        assertThat(partial.hello().supportedGroups()).isEmpty();
        assertThat(partial.hello().extensions()).containsExactly(ExtensionTypes.SUPPORTED_VERSIONS);
    }

    @Test
    void aDuplicatedExtensionKeepsTheFirstAndNamesTheSecond() {
        // when
        ParseResult result = parser.parseHandshakeBody(
                new HelloBytes().supportedGroups(29).supportedGroups(23).body());

        // then
        PartialClientHello partial = result.partialHello().orElseThrow();
        assertThat(partial.failedExtensionName()).isEqualTo("supported_groups");
        assertThat(partial.hello().supportedGroups()).containsExactly(29);
        assertThat(partial.hello().extensions()).containsExactly(ExtensionTypes.SUPPORTED_GROUPS);
    }

    @Test
    void aMalformedFirstExtensionStillKeepsTheFixedPart() {
        // when
        ParseResult result = parser.parseHandshakeBody(new HelloBytes().cipherSuites(0x002f)
                .sni("evil\n.example.com").body());

        // then
        PartialClientHello partial = result.partialHello().orElseThrow();
        assertThat(partial.failedExtensionName()).isEqualTo("server_name");
        assertThat(partial.hello().cipherSuites()).containsExactly(0x002f);
        assertThat(partial.hello().extensions()).isEmpty();
        assertThat(partial.hello().sni()).isNull();
    }

    @Test
    void aBrokenFixedPartKeepsNothing() {
        // given a cipher suite list of odd length
        byte[] body = new HelloBytes().cipherSuites(0x1301).body();
        body[2 + 32 + 1 + 1] = 3;

        // when
        ParseResult result = parser.parseHandshakeBody(body);

        // then
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.BAD_LENGTH));
        assertThat(result.partialHello()).isEmpty();
    }

    @Test
    void anExtensionsBlockThatLiesAboutItsLengthKeepsNothing() {
        // given a padding extension whose length claims 200 bytes, with 4 present: the block itself is broken
        byte[] body = new HelloBytes().extension(0x0015, new byte[4]).body();
        body[body.length - 5] = (byte) 200;

        // when
        ParseResult result = parser.parseHandshakeBody(body);

        // then a malformed extension is one whose header was read and whose body was not
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.BAD_LENGTH));
        assertThat(result.partialHello()).isEmpty();
    }

    @Test
    void aPartialHelloIsSummarisedWithoutFingerprintsAndMarked() {
        // given a hello cut short before its supported_versions
        ParseResult result = parser.parseHandshakeBody(new HelloBytes()
                .cipherSuites(0x1301, 0xc02b)
                .supportedGroups(0x001d)
                .extension(ExtensionTypes.SIGNATURE_ALGORITHMS, OVERRUNNING_SIGNATURE_ALGORITHMS)
                .supportedVersions(0x0304, 0x0303)
                .body());

        // when
        ClientHelloSummary summary = ClientHelloSummaries.of(result.partialHello().orElseThrow());

        // then
        assertThat(summary.partial()).isTrue();
        assertThat(summary.incomplete()).isTrue();
        assertThat(summary.failedExtension()).isEqualTo("signature_algorithms");
        assertThat(summary.legacyVersion()).isEqualTo("TLSv1.2");
        assertThat(summary.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(summary.supportedGroups()).containsExactly("x25519");
        assertThat(summary.extensions()).containsExactly(ExtensionTypes.SUPPORTED_GROUPS);
        // and neither a fingerprint nor a highest version that legacy_version would understate
        assertThat(summary.ja3()).isNull();
        assertThat(summary.ja3Hash()).isNull();
        assertThat(summary.ja4()).isNull();
        assertThat(summary.ja4R()).isNull();
        assertThat(summary.highestOfferedVersion()).isNull();
    }

    @Test
    void aPartialHelloThatReadItsSupportedVersionsSaysItsHighestVersion() {
        // given
        ParseResult result = parser.parseHandshakeBody(new HelloBytes()
                .supportedVersions(0x0304, 0x0303)
                .extension(ExtensionTypes.SIGNATURE_ALGORITHMS, OVERRUNNING_SIGNATURE_ALGORITHMS)
                .body());

        // when
        ClientHelloSummary summary = ClientHelloSummaries.of(result.partialHello().orElseThrow());

        // then
        assertThat(summary.highestOfferedVersion()).isEqualTo("TLSv1.3");
        assertThat(summary.supportedVersions()).containsExactly("TLSv1.3", "TLSv1.2");
    }
}
