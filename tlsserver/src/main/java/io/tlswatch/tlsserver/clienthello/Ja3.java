package io.tlswatch.tlsserver.clienthello;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The JA3 TLS client fingerprint (Salesforce, https://github.com/salesforce/ja3):
 * {@code SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats}, each list in the order the
 * client sent it, values in decimal joined by {@code -}, GREASE values left out, an absent list empty; and the
 * MD5 of that string.
 *
 * <p>JA3 keeps the extension order, so a client that shuffles its extensions on every connection (Chrome since
 * version 110, and others since) gets a new JA3 each time; {@link Ja4} sorts and does not. JA3 is kept for
 * matching against the many published JA3 lists.
 *
 * @param text the JA3 string, e.g. {@code 771,4866-4867-4865-...,0-11-10-...,29-23-30,0-1-2}
 * @param hash its MD5, 32 lowercase hex digits
 */
public record Ja3(String text, String hash) {

    public static Ja3 of(ClientHello hello) {
        String text = String.join(",",
                String.valueOf(hello.legacyVersion()),
                decimal(Grease.without(hello.cipherSuites())),
                decimal(Grease.without(hello.extensions())),
                decimal(Grease.without(hello.supportedGroups())),
                // Point formats are 8-bit values: GREASE (16-bit) cannot occur among them.
                decimal(hello.ecPointFormats()));
        return new Ja3(text, Digests.md5(text));
    }

    private static String decimal(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining("-"));
    }
}
