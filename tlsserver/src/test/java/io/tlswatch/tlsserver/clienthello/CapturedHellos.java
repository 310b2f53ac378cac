package io.tlswatch.tlsserver.clienthello;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The real ClientHellos under {@code src/test/resources/clienthello/} and the fingerprints an independent
 * implementation (tshark's JA3, and a JA4 computed from tshark's dissection) gave for them; see the README there.
 */
final class CapturedHellos {

    /** One line of {@code expected-fingerprints.tsv}; the fingerprint fields are "-" where tshark found no hello. */
    record Expected(String file, String ja3, String ja3Hash, String ja4, String ja4Raw) {
        String name() {
            return file.replace(".hex", "");
        }

        boolean isClientHello() {
            return !ja4.equals("-");
        }

        @Override
        public String toString() {
            return name();
        }
    }

    private CapturedHellos() {
    }

    /** The bytes of {@code NAME.hex}, exactly as the client sent them. */
    static byte[] bytes(String name) {
        String hex = read("/clienthello/" + name + ".hex").replaceAll("\\s", "");
        return HexFormat.of().parseHex(hex);
    }

    /** Every capture with its independently computed fingerprints. */
    static List<Expected> expected() {
        List<Expected> rows = new ArrayList<>();
        for (String line : read("/clienthello/expected-fingerprints.tsv").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            rows.add(new Expected(fields[0], fields[1], fields[2], fields[3], fields[4]));
        }
        return rows;
    }

    /** The captures that are TLS ClientHellos (all but the SSLv2-format one). */
    static List<Expected> clientHellos() {
        return expected().stream().filter(Expected::isClientHello).toList();
    }

    /** Parses a capture that is known to be a valid hello. */
    static ClientHello parsed(String name) {
        ParseResult result = new ClientHelloParser().parseRecords(bytes(name));
        return result.hello().orElseThrow(() -> new AssertionError(name + " did not parse: " + result));
    }

    /** The handshake message body inside a capture's records, as Netty's SslClientHelloHandler would pass it. */
    static byte[] handshakeBody(byte[] records) {
        byte[] handshake = new byte[records.length];
        int have = 0;
        int position = 0;
        while (position + 5 <= records.length) {
            int length = ((records[position + 3] & 0xFF) << 8) | (records[position + 4] & 0xFF);
            System.arraycopy(records, position + 5, handshake, have, length);
            have += length;
            position += 5 + length;
        }
        int bodyLength = ((handshake[1] & 0xFF) << 16) | ((handshake[2] & 0xFF) << 8) | (handshake[3] & 0xFF);
        byte[] body = new byte[bodyLength];
        System.arraycopy(handshake, 4, body, 0, bodyLength);
        return body;
    }

    private static String read(String resource) {
        try (InputStream in = CapturedHellos.class.getResourceAsStream(resource)) {
            Objects.requireNonNull(in, resource);
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
