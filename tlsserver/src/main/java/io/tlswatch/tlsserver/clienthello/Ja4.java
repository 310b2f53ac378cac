package io.tlswatch.tlsserver.clienthello;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The JA4 TLS client fingerprint (FoxIO JA4+, https://github.com/FoxIO-LLC/ja4, technical_details/JA4.md), e.g.
 * {@code t13d1516h2_8daaf6152771_e5627efa2ab1}, and its raw form {@code ja4_r}.
 *
 * <ul>
 *   <li>part a: {@code t} (TLS over TCP: this parser never sees QUIC or DTLS); the version, the highest
 *       non-GREASE value of {@code supported_versions} if present, else {@code legacy_version}, as {@code 13},
 *       {@code 12}, {@code 11}, {@code 10}, {@code s3}, {@code s2}, {@code s1}, {@code d1..d3}, or {@code 00};
 *       {@code d} if a {@code server_name} extension is present, else {@code i}; the number of cipher suites and
 *       of extensions, GREASE not counted, two digits, at most 99; the first and last character of the first
 *       ALPN value ({@code 00} without one; its hex form's first and last digit when either end is not an ASCII
 *       letter or digit).</li>
 *   <li>part b: the first 12 hex digits of the SHA-256 of the cipher suites, GREASE left out, as 4-digit
 *       lowercase hex, sorted, joined by commas.</li>
 *   <li>part c: the same over the extensions, GREASE, {@code server_name} and ALPN left out, sorted, followed,
 *       when the client sent any, by {@code _} and the signature algorithms in the order sent (GREASE left
 *       out).</li>
 * </ul>
 * An empty list hashes to {@code 000000000000}. Sorting makes JA4 stable when a client randomises its extension
 * order, which is why tlswatch keys fingerprint posture on it.
 *
 * @param fingerprint the JA4, e.g. {@code t13d1516h2_8daaf6152771_e5627efa2ab1}
 * @param raw         {@code ja4_r}: part a, then the two sorted lists in clear instead of hashed
 */
public record Ja4(String fingerprint, String raw) {

    private static final String EMPTY_HASH = "000000000000";

    public static Ja4 of(ClientHello hello) {
        List<Integer> ciphers = Grease.without(hello.cipherSuites());
        List<Integer> extensions = Grease.without(hello.extensions());
        String a = "t"
                + version(hello)
                + (extensions.contains(ExtensionTypes.SERVER_NAME) ? "d" : "i")
                + count(ciphers)
                + count(extensions)
                + alpn(hello.alpn());
        String b = sortedHex(ciphers);
        String c = sortedHex(extensions.stream()
                .filter(type -> type != ExtensionTypes.SERVER_NAME && type != ExtensionTypes.ALPN)
                .toList());
        List<Integer> signatureAlgorithms = Grease.without(hello.signatureAlgorithms());
        if (!signatureAlgorithms.isEmpty()) {
            c = c + "_" + signatureAlgorithms.stream().map(Hex::bare16).collect(Collectors.joining(","));
        }
        return new Ja4(a + "_" + hash12(b) + "_" + hash12(c), a + "_" + b + "_" + c);
    }

    /** Truncated SHA-256 as JA4 uses it; the empty string gives {@code 000000000000}, not a hash of nothing. */
    static String hash12(String text) {
        return text.isEmpty() ? EMPTY_HASH : Digests.sha256(text).substring(0, 12);
    }

    private static String version(ClientHello hello) {
        return switch (hello.highestOfferedVersion()) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            // The spec writes SSL 2.0 as 0x0002 (the SSLv2 wire value); FoxIO's tools match 0x0200. Both are SSL 2.0.
            case 0x0002, 0x0200 -> "s2";
            case 0x0100 -> "s1";
            case 0xFEFF -> "d1";
            case 0xFEFD -> "d2";
            case 0xFEFC -> "d3";
            default -> "00";
        };
    }

    private static String count(List<Integer> values) {
        int count = Math.min(values.size(), 99);
        return count < 10 ? "0" + count : Integer.toString(count);
    }

    /** First and last character of the first ALPN value; names hold one char per byte (see {@link ClientHello#alpn}). */
    static String alpn(List<String> protocols) {
        if (protocols.isEmpty() || protocols.get(0).isEmpty()) {
            return "00";
        }
        String first = protocols.get(0);
        char head = first.charAt(0);
        char tail = first.charAt(first.length() - 1);
        if (isAsciiAlphanumeric(head) && isAsciiAlphanumeric(tail)) {
            return "" + head + tail;
        }
        String hex = Hex.u8(head & 0xFF) + Hex.u8(tail & 0xFF);
        return "" + hex.charAt(0) + hex.charAt(3);
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String sortedHex(List<Integer> values) {
        return values.stream().sorted().map(Hex::bare16).collect(Collectors.joining(","));
    }
}
