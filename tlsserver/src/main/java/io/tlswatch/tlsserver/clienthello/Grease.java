package io.tlswatch.tlsserver.clienthello;

import java.util.List;

/**
 * GREASE values (RFC 8701): the sixteen reserved code points {@code 0x0a0a, 0x1a1a, ... 0xfafa} that clients
 * such as Chrome sprinkle, at random, into their cipher suites, extensions, groups, versions and signature
 * algorithms. They carry no meaning, and because they change from one connection to the next both JA3 and JA4
 * leave them out.
 */
public final class Grease {

    private Grease() {
    }

    /** Whether a 16-bit code point is one of the GREASE values. */
    public static boolean isGrease(int value) {
        return (value & 0x0F0F) == 0x0A0A && (value >>> 8) == (value & 0xFF);
    }

    /** The list without its GREASE values, order kept. */
    public static List<Integer> without(List<Integer> values) {
        return values.stream().filter(v -> !isGrease(v)).toList();
    }
}
