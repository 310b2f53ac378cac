package io.tlswatch.tlsserver.clienthello;

import java.util.Map;

import static java.util.Map.entry;

/**
 * Names of the key exchange groups a client lists in {@code supported_groups} (formerly "elliptic curves"), as
 * the IANA "TLS Supported Groups" registry spells them, which is also how the JDK's {@code jdk.tls.namedGroups}
 * spells the common ones ({@code x25519}, {@code secp256r1}, {@code ffdhe2048}). The post-quantum hybrids are
 * included because current clients (Chrome, Firefox, OpenSSL 3.5 and later) already offer them.
 */
public final class NamedGroups {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            entry(0x0001, "sect163k1"),
            entry(0x0002, "sect163r1"),
            entry(0x0003, "sect163r2"),
            entry(0x0004, "sect193r1"),
            entry(0x0005, "sect193r2"),
            entry(0x0006, "sect233k1"),
            entry(0x0007, "sect233r1"),
            entry(0x0008, "sect239k1"),
            entry(0x0009, "sect283k1"),
            entry(0x000A, "sect283r1"),
            entry(0x000B, "sect409k1"),
            entry(0x000C, "sect409r1"),
            entry(0x000D, "sect571k1"),
            entry(0x000E, "sect571r1"),
            entry(0x000F, "secp160k1"),
            entry(0x0010, "secp160r1"),
            entry(0x0011, "secp160r2"),
            entry(0x0012, "secp192k1"),
            entry(0x0013, "secp192r1"),
            entry(0x0014, "secp224k1"),
            entry(0x0015, "secp224r1"),
            entry(0x0016, "secp256k1"),
            entry(0x0017, "secp256r1"),
            entry(0x0018, "secp384r1"),
            entry(0x0019, "secp521r1"),
            entry(0x001A, "brainpoolP256r1"),
            entry(0x001B, "brainpoolP384r1"),
            entry(0x001C, "brainpoolP512r1"),
            entry(0x001D, "x25519"),
            entry(0x001E, "x448"),
            entry(0x001F, "brainpoolP256r1tls13"),
            entry(0x0020, "brainpoolP384r1tls13"),
            entry(0x0021, "brainpoolP512r1tls13"),
            entry(0x0022, "GC256A"),
            entry(0x0023, "GC256B"),
            entry(0x0024, "GC256C"),
            entry(0x0025, "GC256D"),
            entry(0x0026, "GC512A"),
            entry(0x0027, "GC512B"),
            entry(0x0028, "GC512C"),
            entry(0x0029, "curveSM2"),
            entry(0x0100, "ffdhe2048"),
            entry(0x0101, "ffdhe3072"),
            entry(0x0102, "ffdhe4096"),
            entry(0x0103, "ffdhe6144"),
            entry(0x0104, "ffdhe8192"),
            entry(0x0200, "MLKEM512"),
            entry(0x0201, "MLKEM768"),
            entry(0x0202, "MLKEM1024"),
            entry(0x11EB, "SecP256r1MLKEM768"),
            entry(0x11EC, "X25519MLKEM768"),
            entry(0x11ED, "SecP384r1MLKEM1024"),
            entry(0x6399, "X25519Kyber768Draft00"),
            entry(0x639A, "SecP256r1Kyber768Draft00"),
            entry(0xFF01, "arbitrary_explicit_prime_curves"),
            entry(0xFF02, "arbitrary_explicit_char2_curves"));

    private NamedGroups() {
    }

    /** The IANA name, or {@code 0xNNNN} (lowercase hex) for a group not in the table, GREASE included. */
    public static String name(int group) {
        String name = NAMES.get(group);
        return name != null ? name : Hex.u16(group);
    }
}
