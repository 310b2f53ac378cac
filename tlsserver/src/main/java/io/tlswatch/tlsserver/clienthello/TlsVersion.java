package io.tlswatch.tlsserver.clienthello;

import java.util.Optional;

/**
 * The protocol versions a ClientHello can offer, named as the JDK and OpenSSL name them, so that a name read in
 * an event is the one an operator types into {@code jdk.tls.client.protocols} or {@code openssl -tls1_2}.
 */
public enum TlsVersion {
    SSL_3_0(0x0300, "SSLv3"),
    TLS_1_0(0x0301, "TLSv1"),
    TLS_1_1(0x0302, "TLSv1.1"),
    TLS_1_2(0x0303, "TLSv1.2"),
    TLS_1_3(0x0304, "TLSv1.3");

    private final int code;
    private final String jdkName;

    TlsVersion(int code, String jdkName) {
        this.code = code;
        this.jdkName = jdkName;
    }

    /** The wire value, e.g. {@code 0x0303}. */
    public int code() {
        return code;
    }

    /** The JDK's name, e.g. {@code TLSv1.2}. */
    public String jdkName() {
        return jdkName;
    }

    public static Optional<TlsVersion> of(int code) {
        for (TlsVersion version : values()) {
            if (version.code == code) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /** The JDK name of a wire value; a value without one (a draft, GREASE, garbage) as {@code 0xNNNN}. */
    public static String name(int code) {
        return of(code).map(TlsVersion::jdkName).orElseGet(() -> Hex.u16(code));
    }
}
