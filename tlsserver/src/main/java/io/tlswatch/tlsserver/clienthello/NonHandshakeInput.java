package io.tlswatch.tlsserver.clienthello;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Names what a connection sent when its first byte is not a TLS handshake record: plain HTTP (a client that
 * forgot {@code https}), an SSLv2-compatible hello (a very old client), another TLS record type, or something
 * else. Only called for such input, and always ends in a {@link ParseFailure}.
 */
final class NonHandshakeInput {

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int ALERT = 21;
    private static final int APPLICATION_DATA = 23;
    private static final int HEARTBEAT = 24;
    private static final int SSLV2_CLIENT_HELLO = 1;

    // HTTP/1.x methods (RFC 9110, plus PATCH) and the HTTP/2 prior-knowledge preface ("PRI * HTTP/2.0").
    private static final List<String> HTTP_METHODS =
            List.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH", "PRI");

    private NonHandshakeInput() {
    }

    static ParseFailure classify(ByteBuffer in) {
        int first = in.get(0) & 0xFF;
        if (first >= CHANGE_CIPHER_SPEC && first <= HEARTBEAT) {
            return recordOfOtherType(in, first);
        }
        if ((first & 0x80) != 0) {
            return maybeSslV2(in);
        }
        String method = httpMethod(in);
        if (method != null) {
            return new ParseFailure(ParseError.NOT_TLS, "plain HTTP request (" + method + ")");
        }
        return new ParseFailure(ParseError.NOT_TLS, "first byte " + String.format("0x%02x", first)
                + " is not a TLS record type");
    }

    private static ParseFailure recordOfOtherType(ByteBuffer in, int type) {
        if (in.remaining() < 2) {
            return new ParseFailure(ParseError.TRUNCATED, "1 byte, record header incomplete");
        }
        if ((in.get(1) & 0xFF) != 3) {
            return new ParseFailure(ParseError.NOT_TLS, "record version major " + (in.get(1) & 0xFF) + " is not 3");
        }
        String name = switch (type) {
            case CHANGE_CIPHER_SPEC -> "change_cipher_spec";
            case ALERT -> "alert";
            case APPLICATION_DATA -> "application_data";
            case HEARTBEAT -> "heartbeat";
            default -> "record";
        };
        return new ParseFailure(ParseError.NOT_HANDSHAKE, "first record is " + name + " (" + type + ")");
    }

    /**
     * RFC 5246 appendix E.2: a 2-byte length with the high bit set, message type 1, then the highest version the
     * client speaks ({@code 0x0002} for SSLv2 itself, {@code 0x03xx} for a TLS client sending the v2 format).
     */
    private static ParseFailure maybeSslV2(ByteBuffer in) {
        if (in.remaining() < 5) {
            return new ParseFailure(ParseError.TRUNCATED, in.remaining() + " bytes, SSLv2 header incomplete");
        }
        int messageType = in.get(2) & 0xFF;
        int version = ((in.get(3) & 0xFF) << 8) | (in.get(4) & 0xFF);
        if (messageType == SSLV2_CLIENT_HELLO && (version == 0x0002 || (version >>> 8) == 3)) {
            String offered = version == 0x0002 ? "SSLv2" : TlsVersion.name(version);
            return new ParseFailure(ParseError.SSLV2, "SSLv2-compatible ClientHello offering up to " + offered);
        }
        return new ParseFailure(ParseError.NOT_TLS, "first byte " + String.format("0x%02x", in.get(0) & 0xFF)
                + " is not a TLS record type");
    }

    private static String httpMethod(ByteBuffer in) {
        int limit = Math.min(in.remaining(), 8);
        for (int i = 0; i < limit; i++) {
            if (in.get(i) == ' ') {
                byte[] token = new byte[i];
                for (int j = 0; j < i; j++) {
                    token[j] = in.get(j);
                }
                String method = new String(token, StandardCharsets.US_ASCII);
                return HTTP_METHODS.contains(method) ? method : null;
            }
        }
        return null;
    }
}
