package io.tlswatch.tlsserver.clienthello;

/** The one spelling of code points that have no name, shared by every table in this package. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** {@code 0x} and four lowercase hex digits, as the event contract spells unnamed code points. */
    static String u16(int value) {
        return "0x" + bare16(value);
    }

    /**
     * Four lowercase hex digits without prefix, as JA4 writes its lists. By hand: it runs for every cipher and
     * extension of every ClientHello, where {@code String.format} parses its pattern each time.
     */
    static String bare16(int value) {
        return new String(new char[] {DIGITS[(value >> 12) & 0xF], DIGITS[(value >> 8) & 0xF],
                DIGITS[(value >> 4) & 0xF], DIGITS[value & 0xF]});
    }

    /** Two lowercase hex digits. */
    static String u8(int value) {
        return new String(new char[] {DIGITS[(value >> 4) & 0xF], DIGITS[value & 0xF]});
    }
}
