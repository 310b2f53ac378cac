package io.tlswatch.tlsserver.clienthello;

import java.util.Map;

import static java.util.Map.entry;

/**
 * Names of the values in {@code signature_algorithms}: the IANA "TLS SignatureScheme" registry, plus the TLS 1.2
 * (hash, signature) pairs that the registry only reserves but that JDK and OpenSSL clients still send, such as
 * {@code 0x0402} (SHA-256 with DSA). Those read {@code dsa_sha256}, {@code rsa_sha224}, {@code ecdsa_sha224},
 * as the JDK names them.
 */
public final class SignatureSchemes {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            entry(0x0201, "rsa_pkcs1_sha1"),
            entry(0x0203, "ecdsa_sha1"),
            entry(0x0401, "rsa_pkcs1_sha256"),
            entry(0x0403, "ecdsa_secp256r1_sha256"),
            entry(0x0420, "rsa_pkcs1_sha256_legacy"),
            entry(0x0501, "rsa_pkcs1_sha384"),
            entry(0x0503, "ecdsa_secp384r1_sha384"),
            entry(0x0520, "rsa_pkcs1_sha384_legacy"),
            entry(0x0601, "rsa_pkcs1_sha512"),
            entry(0x0603, "ecdsa_secp521r1_sha512"),
            entry(0x0620, "rsa_pkcs1_sha512_legacy"),
            entry(0x0704, "eccsi_sha256"),
            entry(0x0705, "iso_ibs1"),
            entry(0x0706, "iso_ibs2"),
            entry(0x0707, "iso_chinese_ibs"),
            entry(0x0708, "sm2sig_sm3"),
            entry(0x0709, "gostr34102012_256a"),
            entry(0x070A, "gostr34102012_256b"),
            entry(0x070B, "gostr34102012_256c"),
            entry(0x070C, "gostr34102012_256d"),
            entry(0x070D, "gostr34102012_512a"),
            entry(0x070E, "gostr34102012_512b"),
            entry(0x070F, "gostr34102012_512c"),
            entry(0x0804, "rsa_pss_rsae_sha256"),
            entry(0x0805, "rsa_pss_rsae_sha384"),
            entry(0x0806, "rsa_pss_rsae_sha512"),
            entry(0x0807, "ed25519"),
            entry(0x0808, "ed448"),
            entry(0x0809, "rsa_pss_pss_sha256"),
            entry(0x080A, "rsa_pss_pss_sha384"),
            entry(0x080B, "rsa_pss_pss_sha512"),
            entry(0x081A, "ecdsa_brainpoolP256r1tls13_sha256"),
            entry(0x081B, "ecdsa_brainpoolP384r1tls13_sha384"),
            entry(0x081C, "ecdsa_brainpoolP512r1tls13_sha512"),
            entry(0x0904, "mldsa44"),
            entry(0x0905, "mldsa65"),
            entry(0x0906, "mldsa87"));

    // RFC 5246 section 7.4.1.4.1: the high byte names the hash, the low byte the signature.
    private static final String[] LEGACY_HASHES = {null, "md5", "sha1", "sha224", "sha256", "sha384", "sha512"};
    private static final String[] LEGACY_SIGNATURES = {null, "rsa", "dsa", "ecdsa"};

    private SignatureSchemes() {
    }

    /** The IANA (or JDK legacy) name, or {@code 0xNNNN} (lowercase hex) for an unknown value, GREASE included. */
    public static String name(int scheme) {
        String name = NAMES.get(scheme);
        if (name != null) {
            return name;
        }
        int hash = scheme >>> 8;
        int signature = scheme & 0xFF;
        if (hash > 0 && hash < LEGACY_HASHES.length && signature > 0 && signature < LEGACY_SIGNATURES.length) {
            return LEGACY_SIGNATURES[signature] + "_" + LEGACY_HASHES[hash];
        }
        return Hex.u16(scheme);
    }
}
