package io.tlswatch.validator.license;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes license ids and license keys.
 *
 * <ul>
 *   <li>A license key is {@value #KEY_PREFIX} followed by {@value #KEY_BYTES} random bytes in RFC 4648 base32
 *       without padding (52 characters of {@code A-Z2-7}): 256 bits, so an unsalted hash is safe to publish, and
 *       a fixed prefix that secret scanners and support staff recognise. Base32 survives being read aloud and
 *       copied out of e-mails better than base64.</li>
 *   <li>A license id is {@value #ID_PREFIX} followed by {@value #ID_BYTES} random bytes in lowercase base32: not
 *       secret, short enough to type, unique without coordination.</li>
 * </ul>
 */
public final class LicenseKeys {

    public static final String KEY_PREFIX = "TLSW-";
    public static final String ID_PREFIX = "lic-";
    static final int KEY_BYTES = 32;
    static final int ID_BYTES = 10;
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private final SecureRandom random;

    public LicenseKeys(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public String newLicenseKey() {
        return KEY_PREFIX + base32(randomBytes(KEY_BYTES));
    }

    public String newLicenseId() {
        return ID_PREFIX + base32(randomBytes(ID_BYTES)).toLowerCase(Locale.ROOT);
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    /** RFC 4648 section 6 base32, upper case, without the {@code =} padding. */
    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET[(buffer >>> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET[(buffer << (5 - bits)) & 0x1f]);
        }
        return out.toString();
    }
}
