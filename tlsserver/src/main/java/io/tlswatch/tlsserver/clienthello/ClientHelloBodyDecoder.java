package io.tlswatch.tlsserver.clienthello;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes the body of a ClientHello handshake message (RFC 8446 section 4.1.2; RFC 5246 section 7.4.1.2 for
 * the older fields' meaning): everything after the 4-byte handshake header. The body's length is known exactly,
 * so a field that overruns it is a lying length ({@link ParseError#BAD_LENGTH}), not a truncation, and so is a
 * byte left over at the end.
 */
final class ClientHelloBodyDecoder {

    private static final int MAX_SESSION_ID_LENGTH = 32;
    private static final int RANDOM_LENGTH = 32;
    private static final int HOST_NAME = 0;
    private static final int MAX_HOST_NAME_LENGTH = 255;

    private ClientHelloBodyDecoder() {
    }

    /** Decodes a whole body; {@code body}'s overruns must report {@link ParseError#BAD_LENGTH}. */
    static ClientHello decode(ByteReader body) throws ParseFailure {
        int legacyVersion = body.u16("legacy_version");
        body.skip(RANDOM_LENGTH, "random");
        int sessionIdLength = body.u8("session_id length");
        if (sessionIdLength > MAX_SESSION_ID_LENGTH) {
            throw new ParseFailure(ParseError.BAD_LENGTH, "session_id length " + sessionIdLength + " exceeds 32");
        }
        body.skip(sessionIdLength, "session_id");

        int cipherSuitesLength = body.u16("cipher_suites length");
        if (cipherSuitesLength < 2 || cipherSuitesLength % 2 != 0) {
            throw new ParseFailure(ParseError.BAD_LENGTH, "cipher_suites length " + cipherSuitesLength
                    + " is not a positive even number");
        }
        List<Integer> cipherSuites = u16s(body.window(cipherSuitesLength, "cipher_suites", ParseError.BAD_LENGTH));

        int compressionLength = body.u8("compression_methods length");
        if (compressionLength < 1) {
            throw new ParseFailure(ParseError.BAD_LENGTH, "compression_methods is empty");
        }
        List<Integer> compressionMethods =
                u8s(body.window(compressionLength, "compression_methods", ParseError.BAD_LENGTH));

        Extensions extensions = new Extensions();
        // SSLv3 and early TLS 1.0 clients end the hello here: no extensions block at all.
        if (body.remaining() > 0) {
            int extensionsLength = body.u16("extensions length");
            if (extensionsLength != body.remaining()) {
                throw new ParseFailure(ParseError.BAD_LENGTH, "extensions length " + extensionsLength + " but "
                        + body.remaining() + " bytes left in the hello");
            }
            try {
                extensions.decodeAll(body.window(extensionsLength, "extensions", ParseError.BAD_LENGTH));
            } catch (ParseFailure failure) {
                // The fixed part was whole: keep it, and the extensions before the bad one, for the event.
                if (extensions.current < 0) {
                    throw failure;
                }
                throw failure.withPartial(new PartialClientHello(hello(legacyVersion, sessionIdLength, cipherSuites,
                        compressionMethods, extensions), extensions.current));
            }
        }
        return hello(legacyVersion, sessionIdLength, cipherSuites, compressionMethods, extensions);
    }

    private static ClientHello hello(int legacyVersion, int sessionIdLength, List<Integer> cipherSuites,
                                     List<Integer> compressionMethods, Extensions extensions) {
        return new ClientHello(legacyVersion, sessionIdLength, cipherSuites, compressionMethods,
                extensions.types, extensions.supportedVersions, extensions.supportedGroups,
                extensions.ecPointFormats, extensions.signatureAlgorithms, extensions.alpn, extensions.sni);
    }

    private static List<Integer> u16s(ByteReader reader) throws ParseFailure {
        List<Integer> values = new ArrayList<>(reader.remaining() / 2);
        while (reader.remaining() > 0) {
            values.add(reader.u16("list entry"));
        }
        return values;
    }

    private static List<Integer> u8s(ByteReader reader) throws ParseFailure {
        List<Integer> values = new ArrayList<>(reader.remaining());
        while (reader.remaining() > 0) {
            values.add(reader.u8("list entry"));
        }
        return values;
    }

    /** The extensions block, and the bodies of the extensions the fingerprints and events need. */
    private static final class Extensions {
        private final List<Integer> types = new ArrayList<>();
        private final Set<Integer> seen = new HashSet<>();
        private List<Integer> supportedVersions = List.of();
        private List<Integer> supportedGroups = List.of();
        private List<Integer> ecPointFormats = List.of();
        private List<Integer> signatureAlgorithms = List.of();
        private List<String> alpn = List.of();
        private String sni;
        /** The type of the extension being read, -1 between extensions; names the one that failed. */
        private int current = -1;

        void decodeAll(ByteReader block) throws ParseFailure {
            while (block.remaining() > 0) {
                int type = block.u16("extension type");
                int length = block.u16("extension length");
                ByteReader data = block.window(length, "extension " + Hex.u16(type), ParseError.MALFORMED_EXTENSION);
                // From here on a failure is this extension's body, not the block's framing.
                current = type;
                // RFC 8446 section 4.2: a type must not appear twice; servers reject such a hello.
                if (!seen.add(type)) {
                    throw new ParseFailure(ParseError.MALFORMED_EXTENSION, "extension " + Hex.u16(type) + " appears twice");
                }
                decodeOne(type, data);
                // Listed only once read: a partial hello's extensions are those that were whole.
                types.add(type);
                current = -1;
            }
        }

        private void decodeOne(int type, ByteReader data) throws ParseFailure {
            // Read into locals and kept only once the whole body was read: a partial hello holds no half-read list.
            switch (type) {
                case ExtensionTypes.SERVER_NAME -> {
                    String value = serverName(data);
                    whole(type, data);
                    sni = value;
                }
                case ExtensionTypes.SUPPORTED_GROUPS -> {
                    List<Integer> value = u16Vector(data, 2, "supported_groups");
                    whole(type, data);
                    supportedGroups = value;
                }
                case ExtensionTypes.EC_POINT_FORMATS -> {
                    List<Integer> value = u8Vector(data, "ec_point_formats");
                    whole(type, data);
                    ecPointFormats = value;
                }
                case ExtensionTypes.SIGNATURE_ALGORITHMS -> {
                    List<Integer> value = u16Vector(data, 2, "signature_algorithms");
                    whole(type, data);
                    signatureAlgorithms = value;
                }
                case ExtensionTypes.ALPN -> {
                    List<String> value = protocolNames(data);
                    whole(type, data);
                    alpn = value;
                }
                case ExtensionTypes.SUPPORTED_VERSIONS -> {
                    List<Integer> value = u16Vector(data, 1, "supported_versions");
                    whole(type, data);
                    supportedVersions = value;
                }
                default -> {
                    // not needed: its body is skipped unread
                }
            }
        }

        private static void whole(int type, ByteReader data) throws ParseFailure {
            if (data.remaining() != 0) {
                throw new ParseFailure(ParseError.MALFORMED_EXTENSION,
                        ExtensionTypes.name(type) + " has " + data.remaining() + " trailing bytes");
            }
        }

        /** A vector of 16-bit values behind a length prefix of {@code prefixBytes} (1 or 2) bytes. */
        private static List<Integer> u16Vector(ByteReader data, int prefixBytes, String name) throws ParseFailure {
            int length = prefixBytes == 1 ? data.u8(name + " length") : data.u16(name + " length");
            if (length < 2 || length % 2 != 0) {
                throw new ParseFailure(ParseError.MALFORMED_EXTENSION,
                        name + " length " + length + " is not a positive even number");
            }
            return u16s(data.window(length, name, ParseError.MALFORMED_EXTENSION));
        }

        private static List<Integer> u8Vector(ByteReader data, String name) throws ParseFailure {
            int length = data.u8(name + " length");
            if (length < 1) {
                throw new ParseFailure(ParseError.MALFORMED_EXTENSION, name + " is empty");
            }
            return u8s(data.window(length, name, ParseError.MALFORMED_EXTENSION));
        }

        /** RFC 7301 section 3.1: a non-empty list of non-empty protocol names, each behind a 1-byte length. */
        private static List<String> protocolNames(ByteReader data) throws ParseFailure {
            int length = data.u16("alpn length");
            if (length < 2) {
                throw new ParseFailure(ParseError.MALFORMED_EXTENSION, "alpn list is empty");
            }
            ByteReader list = data.window(length, "alpn list", ParseError.MALFORMED_EXTENSION);
            List<String> names = new ArrayList<>();
            while (list.remaining() > 0) {
                int nameLength = list.u8("alpn name length");
                if (nameLength == 0) {
                    throw new ParseFailure(ParseError.MALFORMED_EXTENSION, "alpn has an empty protocol name");
                }
                names.add(new String(list.bytes(nameLength, "alpn name"), StandardCharsets.ISO_8859_1));
            }
            return names;
        }

        /**
         * RFC 6066 section 3: the first {@code host_name} entry. Entries of other (never assigned) types are
         * skipped. A host name must be printable ASCII: it ends up in events, logs and dashboards.
         */
        private static String serverName(ByteReader data) throws ParseFailure {
            int length = data.u16("server_name list length");
            ByteReader list = data.window(length, "server_name list", ParseError.MALFORMED_EXTENSION);
            String hostName = null;
            while (list.remaining() > 0) {
                int nameType = list.u8("server_name type");
                int nameLength = list.u16("server_name length");
                byte[] name = list.bytes(nameLength, "server_name");
                if (nameType == HOST_NAME && hostName == null) {
                    hostName = hostName(name);
                }
            }
            return hostName;
        }

        private static String hostName(byte[] name) throws ParseFailure {
            if (name.length == 0 || name.length > MAX_HOST_NAME_LENGTH) {
                throw new ParseFailure(ParseError.MALFORMED_EXTENSION,
                        "server_name host_name length " + name.length + " is outside 1..255");
            }
            for (byte b : name) {
                if (b < 0x21 || b > 0x7E) {
                    throw new ParseFailure(ParseError.MALFORMED_EXTENSION,
                            "server_name host_name has byte " + String.format("0x%02x", b & 0xFF)
                                    + ", not printable ASCII");
                }
            }
            return new String(name, StandardCharsets.US_ASCII);
        }
    }
}
