package io.tlswatch.streams.event;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;

/** Orders TLS versions by the names events carry, and reads the version a JA4 fingerprint encodes. */
public final class TlsVersions {

    public static final String TLS_1_2 = "TLSv1.2";
    public static final String TLS_1_3 = "TLSv1.3";

    private static final Map<String, Integer> RANK = Map.of(
            "SSLv2", 0, "SSLv3", 1, "TLSv1", 2, "TLSv1.1", 3, "TLSv1.2", 4, "TLSv1.3", 5);
    // JA4 part a spells the highest offered version in two characters after the protocol letter.
    private static final Map<String, String> JA4_VERSION = Map.of(
            "13", "TLSv1.3", "12", "TLSv1.2", "11", "TLSv1.1", "10", "TLSv1", "s3", "SSLv3", "s2", "SSLv2");

    /** Unknown names (drafts, {@code 0xNNNN}) sort below every known one, and are never called outdated. */
    public static final Comparator<String> ORDER = Comparator.comparingInt(TlsVersions::rank);

    private TlsVersions() {
    }

    public static boolean known(String version) {
        return version != null && RANK.containsKey(version);
    }

    /** -1 for {@code null} or an unknown name. */
    public static int rank(String version) {
        return version == null ? -1 : RANK.getOrDefault(version, -1);
    }

    /** Whether a known version is below TLS 1.2. */
    public static boolean outdated(String version) {
        return known(version) && rank(version) < rank(TLS_1_2);
    }

    /** Whether {@code version} is a known version below {@code minimum}. */
    public static boolean below(String version, String minimum) {
        return known(version) && rank(version) < rank(minimum);
    }

    public static boolean modern(String version) {
        return rank(version) >= rank(TLS_1_2);
    }

    /** The higher of two versions, either of which may be {@code null}. */
    public static String max(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return rank(b) > rank(a) ? b : a;
    }

    /** The highest version a JA4 says its ClientHello offered, or {@code null} if it names none we know. */
    public static String fromJa4(String ja4) {
        if (ja4 == null || ja4.length() < 3) {
            return null;
        }
        return JA4_VERSION.get(ja4.substring(1, 3).toLowerCase(Locale.ROOT));
    }

    /** Whether an IANA cipher suite name is an AEAD suite (every TLS 1.3 suite is). */
    public static boolean aead(String cipherSuite) {
        if (cipherSuite == null) {
            return true;
        }
        String name = cipherSuite.toUpperCase(Locale.ROOT);
        return name.contains("_GCM_") || name.endsWith("_GCM") || name.contains("CHACHA20_POLY1305")
                || name.contains("_CCM");
    }
}
