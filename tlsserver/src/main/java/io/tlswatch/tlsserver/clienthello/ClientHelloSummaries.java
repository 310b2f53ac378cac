package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.contract.event.ClientHelloSummary;

import java.util.List;
import java.util.function.IntFunction;

/** Turns a parsed (or partly parsed) ClientHello into the summary that handshake and report events carry. */
public final class ClientHelloSummaries {

    private ClientHelloSummaries() {
    }

    /** Names every code point (GREASE left out, as the event contract says) and adds JA3 and JA4. */
    public static ClientHelloSummary of(ClientHello hello) {
        Ja3 ja3 = Ja3.of(hello);
        Ja4 ja4 = Ja4.of(hello);
        return named(hello)
                .highestOfferedVersion(hello.highestOfferedVersionName())
                .ja3(ja3.text(), ja3.hash())
                .ja4(ja4.fingerprint(), ja4.raw())
                .build();
    }

    /**
     * Names what was read of a hello cut short by a malformed extension, marked partial. No fingerprints: JA3
     * and JA4 over part of a hello would name a client that does not exist, and would be counted as one
     * downstream. The highest offered version only when {@code supported_versions} was read: without it,
     * {@code legacy_version} would understate a TLS 1.3 client.
     */
    public static ClientHelloSummary of(PartialClientHello partial) {
        ClientHello hello = partial.hello();
        return named(hello)
                .highestOfferedVersion(hello.supportedVersions().isEmpty() ? null : hello.highestOfferedVersionName())
                .partial(partial.failedExtensionName())
                .build();
    }

    private static ClientHelloSummary.Builder named(ClientHello hello) {
        return ClientHelloSummary.builder()
                .legacyVersion(TlsVersion.name(hello.legacyVersion()))
                .supportedVersions(named(hello.supportedVersions(), TlsVersion::name))
                .cipherSuites(named(hello.cipherSuites(), CipherSuites::name))
                .extensions(Grease.without(hello.extensions()))
                .supportedGroups(named(hello.supportedGroups(), NamedGroups::name))
                .ecPointFormats(hello.ecPointFormats())
                .signatureAlgorithms(named(hello.signatureAlgorithms(), SignatureSchemes::name))
                .alpn(hello.alpn())
                .sni(hello.sni());
    }

    private static List<String> named(List<Integer> codes, IntFunction<String> namer) {
        return Grease.without(codes).stream().map(namer::apply).toList();
    }
}
