package io.tlswatch.tlsserver.tls;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The key exchange groups a server may enable, with the name each provider uses. Groups below 256 bits and the
 * binary curves are left out on purpose: configuring one is an error.
 */
enum TlsGroup {
    X25519("x25519", "X25519", true),
    SECP256R1("secp256r1", "P-256", true, "prime256v1", "P-256"),
    SECP384R1("secp384r1", "P-384", true, "P-384"),
    SECP521R1("secp521r1", "P-521", true, "P-521"),
    X448("x448", null, true),
    FFDHE2048("ffdhe2048", null, true),
    FFDHE3072("ffdhe3072", null, true),
    FFDHE4096("ffdhe4096", null, true),
    FFDHE6144("ffdhe6144", null, true),
    FFDHE8192("ffdhe8192", null, true),
    /** The ML-KEM hybrid that current browsers offer first; BoringSSL has it, the JDK only from 24 on. */
    X25519MLKEM768("X25519MLKEM768", "X25519MLKEM768", false);

    private final String ianaName;
    private final String boringSslName;
    private final boolean inJdk17;
    private final String[] aliases;

    TlsGroup(String ianaName, String boringSslName, boolean inJdk17, String... aliases) {
        this.ianaName = ianaName;
        this.boringSslName = boringSslName;
        this.inJdk17 = inJdk17;
        this.aliases = aliases;
    }

    /** The IANA name, as events spell it and the JDK calls it. */
    String ianaName() {
        return ianaName;
    }

    /** BoringSSL's name, for {@code SSL_CTX_set1_groups_list}; empty when BoringSSL lacks the group. */
    Optional<String> boringSslName() {
        return Optional.ofNullable(boringSslName);
    }

    boolean supportedByJdk() {
        return inJdk17;
    }

    /** Looks a configured name up, ignoring case, accepting OpenSSL's aliases. */
    static Optional<TlsGroup> of(String name) {
        String wanted = name.strip();
        return Arrays.stream(values())
                .filter(group -> group.ianaName.equalsIgnoreCase(wanted)
                        || Arrays.stream(group.aliases).anyMatch(alias -> alias.equalsIgnoreCase(wanted)))
                .findFirst();
    }

    static String canonical(String name) {
        return of(name).map(TlsGroup::ianaName).orElse(name.strip().toLowerCase(Locale.ROOT));
    }
}
