package io.tlswatch.tlsserver.tls;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a server enables, in canonical names (JDK protocol names, IANA suites and groups): the failure classifier
 * compares a client's offer with it.
 */
public record EnabledTls(Set<String> protocols, Set<String> cipherSuites, Set<String> groups) {

    public EnabledTls {
        protocols = Set.copyOf(protocols);
        cipherSuites = Set.copyOf(cipherSuites);
        groups = Set.copyOf(groups);
    }

    public static EnabledTls of(TlsSettings settings) {
        return new EnabledTls(
                Set.copyOf(settings.protocols()),
                canonical(settings.cipherSuites(), true),
                canonical(settings.groups(), false));
    }

    private static Set<String> canonical(List<String> names, boolean suites) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            out.add(suites ? CipherSuiteRules.canonical(name) : TlsGroup.canonical(name));
        }
        return out;
    }
}
