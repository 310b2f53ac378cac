package io.tlswatch.tlsserver.classify;

import io.tlswatch.contract.event.ClientHelloSummary;

import java.util.List;

/**
 * The parts of a ClientHello that decide whether a handshake can succeed at all, in the names events use
 * ({@code TLSv1.2}, IANA suite and group names).
 */
public record ClientOffer(List<String> versions, List<String> cipherSuites, List<String> groups) {

    public ClientOffer {
        versions = List.copyOf(versions);
        cipherSuites = List.copyOf(cipherSuites);
        groups = List.copyOf(groups);
    }

    private static final List<String> VERSIONS = List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2");

    /**
     * The versions come from {@code supported_versions} when the client sent it; without it, a client offers
     * every version up to its {@code legacy_version} (RFC 5246 E.1).
     */
    public static ClientOffer of(ClientHelloSummary hello) {
        List<String> versions;
        if (hello.supportedVersions() != null && !hello.supportedVersions().isEmpty()) {
            versions = hello.supportedVersions();
        } else {
            int highest = VERSIONS.indexOf(hello.legacyVersion());
            versions = highest < 0 ? List.of(hello.legacyVersion()) : VERSIONS.subList(0, highest + 1);
        }
        return new ClientOffer(versions, nullToEmpty(hello.cipherSuites()), nullToEmpty(hello.supportedGroups()));
    }

    private static List<String> nullToEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
