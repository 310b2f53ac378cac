package io.tlswatch.tlsserver.clienthello;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds ClientHello bytes for the cases no real client produces (lying lengths, GREASE in odd places, 120
 * suites). Starts as a minimal valid TLS 1.2 hello; every length it writes is computed unless a test overrides
 * the bytes afterwards.
 */
final class HelloBytes {

    private int legacyVersion = 0x0303;
    private int sessionIdLength = 0;
    private List<Integer> cipherSuites = List.of(0xC02F, 0x002F);
    private List<Integer> compressionMethods = List.of(0);
    private final List<byte[]> extensions = new ArrayList<>();
    private boolean extensionsBlock = true;

    HelloBytes legacyVersion(int version) {
        this.legacyVersion = version;
        return this;
    }

    HelloBytes sessionIdLength(int length) {
        this.sessionIdLength = length;
        return this;
    }

    HelloBytes cipherSuites(Integer... suites) {
        return cipherSuites(List.of(suites));
    }

    HelloBytes cipherSuites(List<Integer> suites) {
        this.cipherSuites = List.copyOf(suites);
        return this;
    }

    HelloBytes compressionMethods(Integer... methods) {
        this.compressionMethods = List.of(methods);
        return this;
    }

    /** No extensions block at all, as SSLv3 and early TLS 1.0 clients sent. */
    HelloBytes withoutExtensionsBlock() {
        this.extensionsBlock = false;
        return this;
    }

    HelloBytes extension(int type, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, type);
        u16(out, data.length);
        out.writeBytes(data);
        extensions.add(out.toByteArray());
        return this;
    }

    HelloBytes sni(String hostName) {
        byte[] name = hostName.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        entry.write(0);
        u16(entry, name.length);
        entry.writeBytes(name);
        return extension(0x0000, vector16(entry.toByteArray()));
    }

    HelloBytes alpn(String... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (String protocol : protocols) {
            byte[] name = protocol.getBytes(StandardCharsets.ISO_8859_1);
            list.write(name.length);
            list.writeBytes(name);
        }
        return extension(0x0010, vector16(list.toByteArray()));
    }

    HelloBytes supportedVersions(Integer... versions) {
        byte[] values = u16s(List.of(versions));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(values.length);
        data.writeBytes(values);
        return extension(0x002B, data.toByteArray());
    }

    HelloBytes supportedGroups(Integer... groups) {
        return extension(0x000A, vector16(u16s(List.of(groups))));
    }

    HelloBytes signatureAlgorithms(Integer... schemes) {
        return extension(0x000D, vector16(u16s(List.of(schemes))));
    }

    HelloBytes ecPointFormats(Integer... formats) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(formats.length);
        for (int format : formats) {
            data.write(format);
        }
        return extension(0x000B, data.toByteArray());
    }

    /** The handshake body: what Netty's SslClientHelloHandler passes to lookup. */
    byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, legacyVersion);
        out.writeBytes(new byte[32]);
        out.write(sessionIdLength);
        out.writeBytes(new byte[sessionIdLength]);
        out.writeBytes(vector16(u16s(cipherSuites)));
        out.write(compressionMethods.size());
        compressionMethods.forEach(out::write);
        if (extensionsBlock) {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            extensions.forEach(block::writeBytes);
            out.writeBytes(vector16(block.toByteArray()));
        }
        return out.toByteArray();
    }

    /** The handshake message: type 1, 24-bit length, body. */
    byte[] handshake() {
        return handshake(body());
    }

    /** The hello in one TLS record. */
    byte[] records() {
        return records(handshake(), Integer.MAX_VALUE);
    }

    static byte[] handshake(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        out.write(body.length >>> 16);
        out.write(body.length >>> 8);
        out.write(body.length);
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** A handshake message cut into records of at most {@code fragment} bytes each. */
    static byte[] records(byte[] handshake, int fragment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int start = 0; start < handshake.length; start += fragment) {
            int length = Math.min(fragment, handshake.length - start);
            out.write(22);
            out.write(3);
            out.write(1);
            u16(out, length);
            out.write(handshake, start, length);
        }
        return out.toByteArray();
    }

    static byte[] vector16(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, data.length);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] u16s(List<Integer> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        values.forEach(value -> u16(out, value));
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8);
        out.write(value);
    }
}
