package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.tlsserver.clienthello.CapturedHellos.Expected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding real ClientHellos captured from real clients (see src/test/resources/clienthello/README.md). */
class ClientHelloParserTest {

    private final ClientHelloParser parser = new ClientHelloParser();

    static List<Expected> clientHellos() {
        return CapturedHellos.clientHellos();
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void decodesEveryCapturedClientHello(Expected capture) {
        // given
        byte[] bytes = CapturedHellos.bytes(capture.name());

        // when
        ParseResult result = parser.parseRecords(bytes);

        // then
        assertThat(result).isInstanceOf(ParseResult.Parsed.class);
        ClientHello hello = result.hello().orElseThrow();
        assertThat(hello.cipherSuites()).isNotEmpty();
        assertThat(hello.compressionMethods()).containsExactly(0);
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void decodesTheHandshakeBodyAsNettyHandsItToLookupToTheSameHello(Expected capture) {
        // given: what SslClientHelloHandler passes to lookup(ctx, clientHello): the body, no headers
        byte[] records = CapturedHellos.bytes(capture.name());
        byte[] body = CapturedHellos.handshakeBody(records);

        // when
        ParseResult fromBody = parser.parseHandshakeBody(body);

        // then
        assertThat(fromBody).isEqualTo(parser.parseRecords(records));
    }

    @Test
    void decodesCurlWithSniAndAlpn() {
        // when
        ClientHello hello = CapturedHellos.parsed("curl-7.88-openssl-3.0-sni");

        // then
        assertThat(hello.legacyVersion()).isEqualTo(0x0303);
        assertThat(hello.sessionIdLength()).isEqualTo(32);
        assertThat(hello.sni()).isEqualTo("license.example.com");
        assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
        assertThat(hello.supportedVersions()).containsExactly(0x0304, 0x0303, 0x0302, 0x0301);
        assertThat(hello.highestOfferedVersionName()).isEqualTo("TLSv1.3");
        assertThat(hello.cipherSuites()).hasSize(31).startsWith(0x1302, 0x1303, 0x1301).endsWith(0x002F, 0x00FF);
        assertThat(hello.extensions()).containsExactly(0, 11, 10, 16, 22, 23, 49, 13, 43, 45, 51, 21);
        assertThat(hello.supportedGroups()).containsExactly(29, 23, 30, 25, 24, 256, 257, 258, 259, 260);
        assertThat(hello.ecPointFormats()).containsExactly(0, 1, 2);
        assertThat(hello.signatureAlgorithms()).hasSize(20).startsWith(0x0403, 0x0503, 0x0603, 0x0807);
    }

    @Test
    void leavesSniEmptyWhenTheClientConnectsToAnAddress() {
        // when: curl and openssl send no server_name for an IP literal
        ClientHello curl = CapturedHellos.parsed("curl-7.88-openssl-3.0");
        ClientHello openssl = CapturedHellos.parsed("openssl-3.0-default");

        // then
        assertThat(curl.sni()).isNull();
        assertThat(curl.hasExtension(ExtensionTypes.SERVER_NAME)).isFalse();
        assertThat(openssl.sni()).isNull();
        assertThat(openssl.alpn()).isEmpty();
    }

    @Test
    void decodesOpensslWithServernameOption() {
        // when
        ClientHello hello = CapturedHellos.parsed("openssl-3.0-servername");

        // then
        assertThat(hello.sni()).isEqualTo("example.com");
        assertThat(hello.extensions()).startsWith(0);
    }

    @Test
    void decodesATls12OnlyClientWithoutSupportedVersions() {
        // when
        ClientHello hello = CapturedHellos.parsed("openssl-3.0-tls1_2");

        // then
        assertThat(hello.supportedVersions()).isEmpty();
        assertThat(hello.hasExtension(ExtensionTypes.SUPPORTED_VERSIONS)).isFalse();
        assertThat(hello.highestOfferedVersionName()).isEqualTo("TLSv1.2");
        assertThat(hello.cipherSuites()).doesNotContain(0x1301, 0x1302, 0x1303);
    }

    @Test
    void decodesTls10AndTls11ClientsOfOpenssl() {
        // when
        ClientHello tls10 = CapturedHellos.parsed("openssl-3.0-tls1-seclevel0");
        ClientHello tls11 = CapturedHellos.parsed("openssl-3.0-tls1_1-seclevel0");

        // then
        assertThat(tls10.legacyVersion()).isEqualTo(0x0301);
        assertThat(tls10.highestOfferedVersionName()).isEqualTo("TLSv1");
        assertThat(tls10.signatureAlgorithms()).isEmpty();
        assertThat(tls11.highestOfferedVersionName()).isEqualTo("TLSv1.1");
    }

    @Test
    void decodesAJdkRestrictedToTls10() {
        // when: JDK 17 with only TLSv1 enabled still sends supported_versions, listing TLS 1.0 alone
        ClientHello hello = CapturedHellos.parsed("jdk17-tls1-only");

        // then
        assertThat(hello.legacyVersion()).isEqualTo(0x0301);
        assertThat(hello.supportedVersions()).containsExactly(0x0301);
        assertThat(hello.highestOfferedVersion()).isEqualTo(TlsVersion.TLS_1_0.code());
        assertThat(hello.cipherSuites()).contains(0xC014, 0x002F).doesNotContain(0x1301, 0xC02F);
    }

    @Test
    void decodesAJdkSocketWithSniAndAlpn() {
        // when
        ClientHello hello = CapturedHellos.parsed("jdk17-sslsocket-sni-alpn");

        // then
        assertThat(hello.sni()).isEqualTo("license.example.com");
        assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
        assertThat(hello.supportedVersions()).containsExactly(0x0304, 0x0303);
    }

    @Test
    void reassemblesAClientHelloFragmentedOverTwoRecords() {
        // given: openssl -max_send_frag 512 split this hello into records of 512 and 300 bytes
        byte[] bytes = CapturedHellos.bytes("openssl-3.0-fragmented");
        assertThat(bytes.length).isEqualTo(5 + 512 + 5 + 300);

        // when
        ClientHello hello = parser.parseRecords(bytes).hello().orElseThrow();

        // then
        assertThat(hello.sni()).isEqualTo("example.com");
        assertThat(hello.alpn()).hasSize(43).startsWith("h2", "http/1.1", "protocol-01").endsWith("protocol-40", "x");
        assertThat(hello.hasExtension(ExtensionTypes.SUPPORTED_VERSIONS)).isTrue();
    }

    @Test
    void reassemblesAHelloCutIntoOneByteRecords() {
        // given: the most fragmented form the record layer allows
        byte[] body = CapturedHellos.handshakeBody(CapturedHellos.bytes("jdk17-sslsocket-sni-alpn"));
        byte[] records = HelloBytes.records(HelloBytes.handshake(body), 1);

        // when
        ParseResult result = parser.parseRecords(records);

        // then
        assertThat(result).isEqualTo(parser.parseHandshakeBody(body));
    }

    @Test
    void ignoresBytesThatFollowTheClientHello() {
        // given: a client may pipeline more records (e.g. TLS 1.3 early data) behind its hello
        byte[] hello = CapturedHellos.bytes("openssl-3.0-tls1_3");
        byte[] withMore = Arrays.copyOf(hello, hello.length + 30);
        byte[] appData = {23, 3, 3, 0, 25};
        System.arraycopy(appData, 0, withMore, hello.length, appData.length);

        // when / then
        assertThat(parser.parseRecords(withMore)).isEqualTo(parser.parseRecords(hello));
    }

    @Test
    void readsBuffersFromTheirPositionWithoutMovingThem() {
        // given: a hello in the middle of a larger buffer
        byte[] hello = CapturedHellos.bytes("curl-7.88-openssl-3.0");
        ByteBuffer buffer = ByteBuffer.allocate(hello.length + 10);
        buffer.position(7);
        buffer.put(hello);
        buffer.position(7).limit(7 + hello.length);
        ByteBuffer body = ByteBuffer.allocateDirect(4096).put(CapturedHellos.handshakeBody(hello)).flip();

        // when
        ParseResult fromRecords = parser.parseRecords(buffer);
        ParseResult fromBody = parser.parseHandshakeBody(body.asReadOnlyBuffer());

        // then
        assertThat(fromRecords).isEqualTo(parser.parseRecords(hello));
        assertThat(fromBody).isEqualTo(fromRecords);
        assertThat(buffer.position()).isEqualTo(7);
        assertThat(body.position()).isZero();
    }

    @Test
    void decodesAHelloWithoutAnExtensionsBlock() {
        // given: SSLv3-era clients end the hello after compression_methods
        byte[] bytes = new HelloBytes().legacyVersion(0x0300).cipherSuites(0x000A, 0x0005, 0x0004)
                .withoutExtensionsBlock().records();

        // when
        ClientHello hello = parser.parseRecords(bytes).hello().orElseThrow();

        // then
        assertThat(hello.extensions()).isEmpty();
        assertThat(hello.highestOfferedVersionName()).isEqualTo("SSLv3");
        assertThat(hello.cipherSuites()).containsExactly(0x000A, 0x0005, 0x0004);
    }

    @Test
    void keepsAlpnBytesThatAreNotAscii() {
        // given
        String oddName = new String(new byte[] {(byte) 0xAB, 0x30, (byte) 0xCD}, StandardCharsets.ISO_8859_1);
        byte[] bytes = new HelloBytes().alpn(oddName, "h2").records();

        // when
        ClientHello hello = parser.parseRecords(bytes).hello().orElseThrow();

        // then
        assertThat(hello.alpn()).containsExactly(oddName, "h2");
        assertThat(hello.alpn().get(0).chars()).containsExactly(0xAB, 0x30, 0xCD);
    }

    @Test
    void keepsGreaseValuesInTheDecodedLists() {
        // when
        ClientHello hello = CapturedHellos.parsed("synthetic-curl-grease");

        // then: raw on purpose; the fingerprints and events drop them
        assertThat(hello.cipherSuites()).startsWith(0x0A0A);
        assertThat(hello.extensions()).startsWith(0x1A1A).endsWith(0x2A2A);
        assertThat(hello.supportedGroups()).startsWith(0x3A3A);
        assertThat(hello.supportedVersions()).containsExactly(0x4A4A, 0x0304, 0x0303, 0x0302, 0x0301);
        assertThat(hello.signatureAlgorithms()).startsWith(0x5A5A);
        assertThat(hello.highestOfferedVersion()).isEqualTo(0x0304);
    }

    @Test
    void acceptsTheLargestHelloItsLimitAllows() {
        // given: a body of exactly the limit, filled by a padding extension
        ClientHelloParser small = new ClientHelloParser(1024);
        int fixed = new HelloBytes().body().length + 4;
        byte[] body = new HelloBytes().extension(0x0015, new byte[1024 - fixed]).body();
        assertThat(body).hasSize(1024);

        // when / then
        assertThat(small.parseHandshakeBody(body)).isInstanceOf(ParseResult.Parsed.class);
        assertThat(small.parseRecords(HelloBytes.records(HelloBytes.handshake(body), 100)))
                .isInstanceOf(ParseResult.Parsed.class);
        assertThat(small.maxHelloLength()).isEqualTo(1024);
    }
}
