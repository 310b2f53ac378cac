package io.tlswatch.tlsserver.clienthello;

import java.util.List;

/**
 * What a client offered in its ClientHello, as it was on the wire: every list in the order the client sent it,
 * GREASE values included (use {@link Grease#without} to drop them), code points as unsigned ints.
 *
 * @param legacyVersion       the {@code legacy_version} field (e.g. {@code 0x0303}); the real offer of a TLS 1.3
 *                            client is in {@code supportedVersions}
 * @param sessionIdLength     length of the legacy session id (0..32); a non-empty one marks resumption or TLS 1.3
 *                            middlebox compatibility mode
 * @param cipherSuites        the cipher suites, signalling values ({@code 0x00ff}, {@code 0x5600}) included
 * @param compressionMethods  the compression methods (anything but {@code [0]} is a very old client)
 * @param extensions          extension types, in the order they appeared
 * @param supportedVersions   the {@code supported_versions} extension; empty when absent
 * @param supportedGroups     the {@code supported_groups} extension; empty when absent
 * @param ecPointFormats      the {@code ec_point_formats} extension; empty when absent
 * @param signatureAlgorithms the {@code signature_algorithms} extension; empty when absent
 * @param alpn                the ALPN protocol names; empty when absent. Each byte of a name is one char
 *                            (ISO-8859-1), so names that are not ASCII keep their exact bytes
 * @param sni                 the first {@code host_name} of the {@code server_name} extension (printable ASCII);
 *                            {@code null} when the client sent none
 */
public record ClientHello(
        int legacyVersion,
        int sessionIdLength,
        List<Integer> cipherSuites,
        List<Integer> compressionMethods,
        List<Integer> extensions,
        List<Integer> supportedVersions,
        List<Integer> supportedGroups,
        List<Integer> ecPointFormats,
        List<Integer> signatureAlgorithms,
        List<String> alpn,
        String sni) {

    public ClientHello {
        cipherSuites = List.copyOf(cipherSuites);
        compressionMethods = List.copyOf(compressionMethods);
        extensions = List.copyOf(extensions);
        supportedVersions = List.copyOf(supportedVersions);
        supportedGroups = List.copyOf(supportedGroups);
        ecPointFormats = List.copyOf(ecPointFormats);
        signatureAlgorithms = List.copyOf(signatureAlgorithms);
        alpn = List.copyOf(alpn);
    }

    /**
     * The highest protocol version offered: the largest non-GREASE value of {@code supported_versions} when the
     * client sent that extension, else {@code legacy_version} (the rule JA4 uses too).
     */
    public int highestOfferedVersion() {
        return Grease.without(supportedVersions).stream()
                .max(Integer::compare)
                .orElse(legacyVersion);
    }

    /** {@link #highestOfferedVersion()} by its JDK name, e.g. {@code TLSv1.3}. */
    public String highestOfferedVersionName() {
        return TlsVersion.name(highestOfferedVersion());
    }

    public boolean hasExtension(int type) {
        return extensions.contains(type);
    }
}
