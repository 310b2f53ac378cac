package io.tlswatch.common.tls;

/** The one spelling of code points that have no name, shared by every table in this package. */
final class Hex {

    private Hex() {
    }

    /** {@code 0x} and four lowercase hex digits, as the event contract spells unnamed code points. */
    static String u16(int value) {
        return String.format("0x%04x", value & 0xFFFF);
    }

    /** Four lowercase hex digits without prefix, as JA4 writes its lists. */
    static String bare16(int value) {
        return String.format("%04x", value & 0xFFFF);
    }
}
