package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.tlsserver.clienthello.CapturedHellos.Expected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken input: the parser must answer every byte sequence with a result, a typed error for
 * anything that is not a well-formed ClientHello, and never throw.
 */
class ClientHelloParserRobustnessTest {

    private final ClientHelloParser parser = new ClientHelloParser();

    static List<Expected> clientHellos() {
        return CapturedHellos.clientHellos();
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void reportsEveryTruncationOfARealHelloAsTruncated(Expected capture) {
        // given
        byte[] hello = CapturedHellos.bytes(capture.name());

        for (int length = 0; length < hello.length; length++) {
            // when
            ParseResult result = parser.parseRecords(Arrays.copyOf(hello, length));

            // then
            assertThat(result).as("prefix of %d bytes", length)
                    .isInstanceOfSatisfying(ParseResult.Failed.class,
                            failed -> assertThat(failed.error()).isEqualTo(ParseError.TRUNCATED));
        }
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void answersEveryTruncationOfAHandshakeBodyWithoutThrowing(Expected capture) {
        // given: a body cut short can still end on a field boundary and be a valid, smaller hello
        byte[] body = CapturedHellos.handshakeBody(CapturedHellos.bytes(capture.name()));

        for (int length = 0; length < body.length; length++) {
            // when
            ParseResult result = parser.parseHandshakeBody(Arrays.copyOf(body, length));

            // then
            assertThat(result).as("prefix of %d bytes", length).isNotNull();
            if (result instanceof ParseResult.Failed failed) {
                assertThat(failed.error()).as("prefix of %d bytes", length)
                        .isIn(ParseError.BAD_LENGTH, ParseError.MALFORMED_EXTENSION);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void answersEverySingleBitFlipOfARealHelloWithoutAnInternalError(Expected capture) {
        // given
        byte[] hello = CapturedHellos.bytes(capture.name());

        for (int index = 0; index < hello.length; index++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] mutated = hello.clone();
                mutated[index] ^= (byte) (1 << bit);

                // when
                ParseResult result = parser.parseRecords(mutated);

                // then
                assertNoInternalError(result, "byte " + index + " bit " + bit);
            }
        }
    }

    @Test
    void answersRandomBytesWithATypedError() {
        // given: a fixed seed, so that a failure is reproducible
        Random random = new Random(20240601L);

        for (int i = 0; i < 20_000; i++) {
            byte[] noise = new byte[random.nextInt(600)];
            random.nextBytes(noise);
            if (i % 2 == 0 && noise.length >= 9) {
                // half of them look like a handshake record carrying a ClientHello, to get past the first checks
                int length = noise.length - 5;
                noise[0] = 22;
                noise[1] = 3;
                noise[2] = 1;
                noise[3] = (byte) (length >>> 8);
                noise[4] = (byte) length;
                noise[5] = 1;
                noise[6] = 0;
                noise[7] = (byte) ((length - 4) >>> 8);
                noise[8] = (byte) (length - 4);
            }

            // when
            ParseResult records = parser.parseRecords(noise);
            ParseResult body = parser.parseHandshakeBody(noise);

            // then
            assertNoInternalError(records, "records, iteration " + i);
            assertNoInternalError(body, "body, iteration " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET / HTTP/1.1\r\nHost: license.example.com\r\n\r\n",
            "POST /v1/licenses/validate HTTP/1.1\r\n",
            "HEAD / HTTP/1.0\r\n\r\n",
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"})
    void recognisesPlainHttpSentToTheTlsPort(String request) {
        // when
        ParseResult result = parser.parseRecords(request.getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class, failed -> {
            assertThat(failed.error()).isEqualTo(ParseError.NOT_TLS);
            assertThat(failed.detail()).startsWith("plain HTTP request (").doesNotContain("Host", "/");
        });
    }

    @Test
    void reportsOtherTextAsNotTls() {
        // when
        ParseResult ssh = parser.parseRecords("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));

        // then
        assertThat(ssh).isEqualTo(new ParseResult.Failed(ParseError.NOT_TLS, "first byte 0x53 is not a TLS record type"));
    }

    @Test
    void recognisesTheSslV2CompatibleHelloOfARealJdk() {
        // given: JDK 17 with SSLv2Hello enabled, captured
        byte[] hello = CapturedHellos.bytes("jdk17-sslv2hello-tls1");

        // when
        ParseResult result = parser.parseRecords(hello);

        // then
        assertThat(result).isEqualTo(new ParseResult.Failed(ParseError.SSLV2,
                "SSLv2-compatible ClientHello offering up to TLSv1"));
    }

    @Test
    void recognisesAnSslV2HelloFromItsFirstFiveBytes() {
        // when
        ParseResult result = parser.parseRecords(new byte[] {(byte) 0x80, 0x2E, 0x01, 0x00, 0x02});

        // then
        assertThat(result).isEqualTo(new ParseResult.Failed(ParseError.SSLV2,
                "SSLv2-compatible ClientHello offering up to SSLv2"));
    }

    @Test
    void refusesAHelloThatDeclaresMoreThanTheLimitBeforeReadingIt() {
        // given: a record header and a handshake header claiming a 1 MiB ClientHello, nothing else
        byte[] bytes = {22, 3, 1, 0x40, 0x00, 1, 0x10, 0x00, 0x00};

        // when
        ParseResult result = parser.parseRecords(bytes);

        // then
        assertThat(result).isEqualTo(new ParseResult.Failed(ParseError.TOO_LARGE,
                "ClientHello of 1048576 bytes exceeds 16384"));
    }

    @Test
    void refusesAHandshakeBodyLargerThanTheLimit() {
        // given
        byte[] body = new HelloBytes().extension(0x0015, new byte[20_000]).body();

        // when
        ParseResult result = parser.parseHandshakeBody(body);

        // then
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.TOO_LARGE));
        assertThat(new ClientHelloParser(32 * 1024).parseHandshakeBody(body)).isInstanceOf(ParseResult.Parsed.class);
    }

    @Test
    void refusesARecordLongerThanTlsAllows() {
        // when
        ParseResult result = parser.parseRecords(new byte[] {22, 3, 1, 0x40, 0x01, 1, 0, 0, 40});

        // then
        assertThat(result).isEqualTo(new ParseResult.Failed(ParseError.BAD_LENGTH, "record length 16385 exceeds 2^14"));
    }

    @Test
    void refusesAnEmptyHandshakeRecord() {
        // when
        ParseResult result = parser.parseRecords(new byte[] {22, 3, 1, 0, 0, 22, 3, 1, 0, 4, 1, 0, 0, 0});

        // then
        assertThat(result).isEqualTo(new ParseResult.Failed(ParseError.BAD_LENGTH, "empty handshake record"));
    }

    @Test
    void decodesAHelloOnceCompleteEvenWhenItsRecordPromisesMoreBytes() {
        // given: the record claims 16000 bytes, but the handshake message inside is complete long before
        byte[] hello = CapturedHellos.bytes("openssl-3.0-tls1_2");
        byte[] lying = hello.clone();
        lying[3] = (byte) (16000 >>> 8);
        lying[4] = (byte) 16000;

        // when
        ParseResult result = parser.parseRecords(lying);

        // then: the hello is what matters, and all of it is there
        assertThat(result).isEqualTo(parser.parseRecords(hello));
    }

    @Test
    void reportsAHandshakeLengthLargerThanTheInputAsTruncated() {
        // given
        byte[] hello = CapturedHellos.bytes("openssl-3.0-tls1_2");
        hello[7] = (byte) (hello[7] + 1);

        // when
        ParseResult result = parser.parseRecords(hello);

        // then
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.TRUNCATED));
    }

    @Test
    void reportsARecordLengthSmallerThanTheHelloAsATypedError() {
        // given: the record ends early, so the hello's next bytes are read as the next record's header
        byte[] hello = CapturedHellos.bytes("openssl-3.0-tls1_2");
        hello[4] = (byte) (hello[4] - 20);

        // when
        ParseResult result = parser.parseRecords(hello);

        // then
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isIn(ParseError.NOT_HANDSHAKE, ParseError.NOT_TLS,
                        ParseError.BAD_LENGTH, ParseError.TRUNCATED));
    }

    @Test
    void reportsAHandshakeLengthSmallerThanTheHelloAsBadLength() {
        // given: the handshake ends 10 bytes before the extensions block says it does
        byte[] handshake = new HelloBytes().sni("example.com").handshake();
        handshake[3] = (byte) (handshake[3] - 10);

        // when
        ParseResult result = parser.parseRecords(HelloBytes.records(handshake, 1000));

        // then
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.BAD_LENGTH));
    }

    @Test
    void reportsAnOddCipherSuitesLengthAsBadLength() {
        // given: session id empty, so cipher_suites length sits at offset 35 of the body
        byte[] body = new HelloBytes().body();
        body[36] = 3;

        // when / then
        assertThat(parser.parseHandshakeBody(body))
                .isEqualTo(new ParseResult.Failed(ParseError.BAD_LENGTH, "cipher_suites length 3 is not a positive even number"));
    }

    @Test
    void reportsASessionIdLongerThan32BytesAsBadLength() {
        // given
        byte[] body = new HelloBytes().sessionIdLength(33).body();

        // when / then
        assertThat(parser.parseHandshakeBody(body))
                .isEqualTo(new ParseResult.Failed(ParseError.BAD_LENGTH, "session_id length 33 exceeds 32"));
    }

    @Test
    void reportsBytesLeftAfterTheExtensionsAsBadLength() {
        // given
        byte[] body = new HelloBytes().sni("example.com").body();
        byte[] longer = Arrays.copyOf(body, body.length + 3);

        // when
        ParseResult result = parser.parseHandshakeBody(longer);

        // then
        assertThat(result).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.BAD_LENGTH));
    }

    @Test
    void reportsAnExtensionOverrunningTheExtensionsBlockAsBadLength() {
        // given: a padding extension whose length claims 200 bytes, with 4 present
        byte[] body = new HelloBytes().extension(0x0015, new byte[4]).body();
        body[body.length - 5] = (byte) 200;

        // when / then
        assertThat(parser.parseHandshakeBody(body)).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.BAD_LENGTH));
    }

    @Test
    void reportsAServerNameListThatLiesAboutItsLengthAsMalformedExtension() {
        // given: server_name list length 0x00ff inside a 16-byte extension
        byte[] sni = {0x00, (byte) 0xFF, 0, 0, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm'};

        // when
        ParseResult result = parser.parseHandshakeBody(new HelloBytes().extension(0x0000, sni).body());

        // then
        assertThat(result).usingRecursiveComparison().ignoringFields("partial").isEqualTo(new ParseResult.Failed(ParseError.MALFORMED_EXTENSION,
                "server_name list needs 255 bytes, 14 left"));
    }

    @Test
    void reportsTrailingBytesInsideADecodedExtensionAsMalformed() {
        // given: supported_groups whose list is 2 bytes shorter than the extension
        byte[] groups = {0, 2, 0, 29, 0, 23};

        // when
        ParseResult result = parser.parseHandshakeBody(new HelloBytes().extension(0x000A, groups).body());

        // then
        assertThat(result).usingRecursiveComparison().ignoringFields("partial").isEqualTo(new ParseResult.Failed(ParseError.MALFORMED_EXTENSION,
                "supported_groups has 2 trailing bytes"));
    }

    @Test
    void reportsAnEmptyAlpnProtocolNameAsMalformed() {
        // when
        ParseResult result = parser.parseHandshakeBody(new HelloBytes().alpn("h2", "").body());

        // then
        assertThat(result).usingRecursiveComparison().ignoringFields("partial").isEqualTo(new ParseResult.Failed(ParseError.MALFORMED_EXTENSION,
                "alpn has an empty protocol name"));
    }

    @Test
    void reportsAHostNameWithControlCharactersAsMalformed() {
        // when
        ParseResult result = parser.parseHandshakeBody(new HelloBytes().sni("evil\n.example.com").body());

        // then
        assertThat(result).usingRecursiveComparison().ignoringFields("partial").isEqualTo(new ParseResult.Failed(ParseError.MALFORMED_EXTENSION,
                "server_name host_name has byte 0x0a, not printable ASCII"));
    }

    @Test
    void reportsADuplicatedExtensionAsMalformed() {
        // when
        ParseResult result = parser.parseHandshakeBody(
                new HelloBytes().supportedGroups(29).supportedGroups(23).body());

        // then
        assertThat(result).usingRecursiveComparison().ignoringFields("partial").isEqualTo(new ParseResult.Failed(ParseError.MALFORMED_EXTENSION,
                "extension 0x000a appears twice"));
    }

    @Test
    void reportsAnotherHandshakeMessageAsNotClientHello() {
        // given: a ServerHello (type 2) where a ClientHello should be
        byte[] handshake = new HelloBytes().handshake();
        handshake[0] = 2;

        // when / then
        assertThat(parser.parseRecords(HelloBytes.records(handshake, 1000)))
                .isEqualTo(new ParseResult.Failed(ParseError.NOT_CLIENT_HELLO, "handshake type 2"));
    }

    @Test
    void reportsAnAlertRecordAsNotHandshake() {
        // when
        ParseResult result = parser.parseRecords(new byte[] {21, 3, 3, 0, 2, 2, 40});

        // then
        assertThat(result).isEqualTo(new ParseResult.Failed(ParseError.NOT_HANDSHAKE, "first record is alert (21)"));
    }

    @Test
    void reportsARecordOfAnotherTypeInsideAFragmentedHelloAsNotHandshake() {
        // given: the hello's second record replaced by application data
        byte[] records = HelloBytes.records(new HelloBytes().handshake(), 20);
        records[25] = 23;

        // when / then
        assertThat(parser.parseRecords(records)).isEqualTo(new ParseResult.Failed(ParseError.NOT_HANDSHAKE,
                "record type 23 interrupts the ClientHello after 20 bytes"));
    }

    @Test
    void reportsEmptyInputAsTruncated() {
        assertThat(parser.parseRecords(new byte[0])).isEqualTo(new ParseResult.Failed(ParseError.TRUNCATED, "no bytes"));
        assertThat(parser.parseHandshakeBody(new byte[0])).isInstanceOfSatisfying(ParseResult.Failed.class,
                failed -> assertThat(failed.error()).isEqualTo(ParseError.BAD_LENGTH));
    }

    private static void assertNoInternalError(ParseResult result, String what) {
        assertThat(result).as(what).isNotNull();
        if (result instanceof ParseResult.Failed failed) {
            assertThat(failed.error()).as(what + ": " + failed.detail()).isNotEqualTo(ParseError.INTERNAL);
        }
    }
}
