package io.tlswatch.tlsserver.clienthello;

import java.util.Objects;

/**
 * A ClientHello whose fixed part (version, random, session id, cipher suites, compression methods) was read but
 * one of whose extensions was not: what the client offered, as far as it could be read.
 *
 * @param hello            the fields before the malformed extension, and the extensions before it; lists of
 *                         extensions after it are empty because they were never read
 * @param failedExtension  the type of the extension that could not be read
 */
public record PartialClientHello(ClientHello hello, int failedExtension) {

    public PartialClientHello {
        Objects.requireNonNull(hello, "hello");
        if (failedExtension < 0 || failedExtension > 0xFFFF) {
            throw new IllegalArgumentException("failedExtension must be a 16-bit type: " + failedExtension);
        }
    }

    /** The failed extension's IANA name, e.g. {@code signature_algorithms}, or {@code 0xNNNN} when it has none. */
    public String failedExtensionName() {
        return ExtensionTypes.name(failedExtension);
    }
}
