package io.tlswatch.validator.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Admin API tokens: {@code tlswatch_at_<tokenId>_<secret>}, where the token id is public (it names the token in
 * lists, logs and revocations) and the secret is {@value #SECRET_BYTES} random bytes in unpadded base64url (256
 * bits). The fixed prefix lets secret scanners recognise a leaked token. Only {@link #hash the hash} of the whole
 * token is ever stored: the secret is long and random, so an unsalted SHA-256 is enough.
 */
public final class AdminTokenFormat {

    public static final String PREFIX = "tlswatch_at_";
    static final int SECRET_BYTES = 32;
    static final int ID_BYTES = 8;
    private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random;

    public AdminTokenFormat(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A token just made: its id and the whole token, which is shown once and stored nowhere. */
    public record NewToken(String tokenId, String token) {
        /** Leaves the token out, so that logging this cannot leak it. */
        @Override
        public String toString() {
            return "NewToken[tokenId=" + tokenId + ", token=(hidden)]";
        }
    }

    public NewToken generate() {
        String tokenId = HexFormat.of().formatHex(bytes(ID_BYTES));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(SECRET_BYTES));
        return new NewToken(tokenId, PREFIX + tokenId + "_" + secret);
    }

    /** The token id of a well-formed token; empty for anything else (nothing is looked up for a malformed one). */
    public static Optional<String> tokenIdOf(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = token.substring(PREFIX.length());
        int separator = rest.indexOf('_');
        if (separator < 0) {
            return Optional.empty();
        }
        String tokenId = rest.substring(0, separator);
        String secret = rest.substring(separator + 1);
        return TOKEN_ID.matcher(tokenId).matches() && SECRET.matcher(secret).matches()
                ? Optional.of(tokenId) : Optional.empty();
    }

    /** SHA-256 of the whole token's UTF-8 bytes, 64 lowercase hex digits: what the token topic stores. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Compares two hashes in time independent of where they differ, so that timing reveals nothing of either. */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
