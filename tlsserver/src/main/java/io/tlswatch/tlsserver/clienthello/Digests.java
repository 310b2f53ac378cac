package io.tlswatch.tlsserver.clienthello;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lowercase hex digests of ASCII text. A new {@link MessageDigest} per call: they are not thread-safe. */
final class Digests {

    private Digests() {
    }

    static String md5(String text) {
        return digest("MD5", text);
    }

    static String sha256(String text) {
        return digest("SHA-256", text);
    }

    private static String digest(String algorithm, String text) {
        try {
            byte[] hash = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide MD5 and SHA-256 (MessageDigest javadoc).
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
    }
}
