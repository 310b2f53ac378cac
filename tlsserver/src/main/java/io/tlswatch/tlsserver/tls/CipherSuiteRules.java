package io.tlswatch.tlsserver.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What an IANA cipher suite name says about the suite: which TLS version it belongs to, whether its cipher is an
 * AEAD, whether its key exchange is ephemeral, and what is wrong with it. Reads the name alone, so it also judges
 * suites that neither provider implements.
 */
final class CipherSuiteRules {

    /** The TLS 1.3 suites (RFC 8446 B.4): every one is AEAD, and 1.3 key exchange is always ephemeral. */
    static final Set<String> TLS13_SUITES = Set.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_CCM_SHA256",
            "TLS_AES_128_CCM_8_SHA256");

    /** The three TLS 1.3 suites BoringSSL always enables (it offers no way to choose among them). */
    static final Set<String> BORINGSSL_TLS13_SUITES = Set.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    private CipherSuiteRules() {
    }

    /** The IANA spelling: the JDK still says {@code SSL_} for some suites that IANA names {@code TLS_}. */
    static String canonical(String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        return upper.startsWith("SSL_") ? "TLS_" + upper.substring(4) : upper;
    }

    static boolean isTls13(String name) {
        return TLS13_SUITES.contains(canonical(name));
    }

    /** Whether the name has the {@code TLS_<key exchange>_WITH_<cipher>} shape, or is a TLS 1.3 suite. */
    static boolean isWellFormed(String name) {
        String suite = canonical(name);
        return isTls13(suite) || (suite.startsWith("TLS_") && suite.indexOf("_WITH_") > 4);
    }

    /**
     * Defects that no flag can excuse: no encryption, no authentication, export-grade or broken ciphers. Not
     * even the collector needs these; no client that still runs depends on them alone.
     */
    static List<String> brokenReasons(String name) {
        String suite = canonical(name);
        List<String> reasons = new ArrayList<>();
        if (isTls13(suite) || !isWellFormed(suite)) {
            return reasons;
        }
        String keyExchange = keyExchange(suite);
        String cipher = cipher(suite);
        if (cipher.startsWith("NULL")) {
            reasons.add("no encryption");
        }
        if (keyExchange.contains("ANON") || keyExchange.equals("NULL")) {
            reasons.add("no authentication");
        }
        if (keyExchange.contains("EXPORT") || cipher.contains("EXPORT") || cipher.contains("_40")
                || cipher.startsWith("DES40")) {
            reasons.add("export-grade");
        }
        if (cipher.startsWith("RC4") || cipher.startsWith("RC2") || cipher.startsWith("IDEA")
                || cipher.startsWith("DES_") || cipher.startsWith("DES40")) {
            reasons.add("broken cipher");
        }
        return reasons;
    }

    /** Defects that {@code allowInsecure} may excuse, for listeners that must hear outdated clients. */
    static List<String> legacyReasons(String name) {
        String suite = canonical(name);
        List<String> reasons = new ArrayList<>();
        if (isTls13(suite) || !isWellFormed(suite)) {
            return reasons;
        }
        if (!isForwardSecret(suite)) {
            reasons.add("no forward secrecy");
        }
        if (!isAead(suite)) {
            reasons.add(cipher(suite).startsWith("3DES") ? "not AEAD, 64-bit block 3DES" : "not AEAD");
        }
        return reasons;
    }

    static boolean isAead(String name) {
        String suite = canonical(name);
        if (isTls13(suite)) {
            return true;
        }
        String cipher = cipher(suite);
        return cipher.contains("_GCM_") || cipher.endsWith("_CCM") || cipher.endsWith("_CCM_8")
                || cipher.startsWith("CHACHA20_POLY1305");
    }

    /** Ephemeral (EC)DH key exchange; anonymous suites are ephemeral but refused as broken elsewhere. */
    static boolean isForwardSecret(String name) {
        String suite = canonical(name);
        if (isTls13(suite)) {
            return true;
        }
        String keyExchange = keyExchange(suite);
        return keyExchange.startsWith("ECDHE_") || keyExchange.startsWith("DHE_");
    }

    private static String keyExchange(String suite) {
        int with = suite.indexOf("_WITH_");
        return with < 0 ? "" : suite.substring("TLS_".length(), with);
    }

    private static String cipher(String suite) {
        int with = suite.indexOf("_WITH_");
        return with < 0 ? suite : suite.substring(with + "_WITH_".length());
    }
}
