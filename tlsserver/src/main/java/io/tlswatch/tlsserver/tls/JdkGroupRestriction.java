package io.tlswatch.tlsserver.tls;

import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Restricts the key exchange groups of every engine of a JDK context.
 *
 * <p>JDK 17 has no per-context setting for groups ({@code SSLParameters.setNamedGroups} came in JDK 20); the
 * property {@code jdk.tls.namedGroups} is JVM-wide and read once. But JSSE asks the engine's
 * {@link AlgorithmConstraints} whether each named group may be used for key agreement, by the group's name, the
 * same hook through which {@code jdk.tls.disabledAlgorithms} can disable a group. Denying the groups that are not
 * configured makes the engine negotiate only the configured ones, per context. The preference order among the
 * configured groups stays the JDK's own.
 */
final class JdkGroupRestriction extends DelegatingSslContext {

    private final Set<String> allowedGroups;

    JdkGroupRestriction(SslContext context, Set<String> allowedGroups) {
        super(context);
        this.allowedGroups = Set.copyOf(allowedGroups.stream().map(g -> g.toLowerCase(Locale.ROOT)).toList());
    }

    @Override
    protected void initEngine(SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setAlgorithmConstraints(new GroupConstraints(allowedGroups, parameters.getAlgorithmConstraints()));
        engine.setSSLParameters(parameters);
    }

    /** Denies key agreement on any named group outside the allowed set; defers everything else. */
    static final class GroupConstraints implements AlgorithmConstraints {

        // The names JSSE gives its named groups (sun.security.ssl.NamedGroup), lower-cased.
        private static final Pattern GROUP_NAME =
                Pattern.compile("secp\\d+[rk]1|sect\\d+[rk][12]|ffdhe\\d+|x25519|x448|brainpoolp\\d+r1(tls13)?"
                        + "|x25519mlkem768|secp256r1mlkem768|secp384r1mlkem1024");

        private final Set<String> allowed;
        private final AlgorithmConstraints previous;

        GroupConstraints(Set<String> allowed, AlgorithmConstraints previous) {
            this.allowed = allowed;
            this.previous = previous;
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
            if (primitives.contains(CryptoPrimitive.KEY_AGREEMENT) && algorithm != null) {
                String name = algorithm.toLowerCase(Locale.ROOT);
                if (GROUP_NAME.matcher(name).matches() && !allowed.contains(name)) {
                    return false;
                }
            }
            return previous == null || previous.permits(primitives, algorithm, parameters);
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
            return previous == null || previous.permits(primitives, key);
        }

        @Override
        public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key,
                               AlgorithmParameters parameters) {
            return previous == null || previous.permits(primitives, algorithm, key, parameters);
        }
    }
}
