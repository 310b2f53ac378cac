package io.tlswatch.common.tls;

import io.tlswatch.common.event.ClientHelloSummary;

import java.util.List;
import java.util.function.IntFunction;

/** Turns a parsed ClientHello into the summary that handshake and report events carry. */
public final class ClientHelloSummaries {

    private ClientHelloSummaries() {
    }

    /** Names every code point (GREASE left out, as the event contract says) and adds JA3 and JA4. */
    public static ClientHelloSummary of(ClientHello hello) {
        Ja3 ja3 = Ja3.of(hello);
        Ja4 ja4 = Ja4.of(hello);
        return ClientHelloSummary.builder()
                .legacyVersion(TlsVersion.name(hello.legacyVersion()))
                .supportedVersions(named(hello.supportedVersions(), TlsVersion::name))
                .cipherSuites(named(hello.cipherSuites(), CipherSuites::name))
                .extensions(Grease.without(hello.extensions()))
                .supportedGroups(named(hello.supportedGroups(), NamedGroups::name))
                .ecPointFormats(hello.ecPointFormats())
                .signatureAlgorithms(named(hello.signatureAlgorithms(), SignatureSchemes::name))
                .alpn(hello.alpn())
                .sni(hello.sni())
                .highestOfferedVersion(hello.highestOfferedVersionName())
                .ja3(ja3.text(), ja3.hash())
                .ja4(ja4.fingerprint(), ja4.raw())
                .build();
    }

    private static List<String> named(List<Integer> codes, IntFunction<String> namer) {
        return Grease.without(codes).stream().map(namer::apply).toList();
    }
}
