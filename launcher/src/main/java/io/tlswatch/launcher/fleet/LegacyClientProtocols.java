package io.tlswatch.launcher.fleet;

import java.security.Security;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Lets this JVM's own TLS clients speak TLS 1.0 and 1.1, as the old runtimes a fleet simulates do. It must run
 * before anything in the JVM uses TLS. Servers in the same JVM stay as strict as their own configuration: the
 * validator enables TLS 1.2 and 1.3 only whatever the JVM allows, and refuses the rest with
 * {@code protocol_version}.
 */
public final class LegacyClientProtocols {

    /** The JVM-wide property that keeps TLS 1.0 and 1.1 off in a current runtime. */
    public static final String DISABLED_ALGORITHMS = "jdk.tls.disabledAlgorithms";

    private LegacyClientProtocols() {
    }

    public static void allow() {
        String disabled = Security.getProperty(DISABLED_ALGORITHMS);
        if (disabled != null) {
            Security.setProperty(DISABLED_ALGORITHMS, Stream.of(disabled.split(",")).map(String::trim)
                    .filter(a -> !a.equals("TLSv1") && !a.equals("TLSv1.1")).collect(Collectors.joining(", ")));
        }
    }
}
