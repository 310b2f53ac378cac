package io.tlswatch.tlsserver.tls;

import java.util.ArrayList;
import java.util.HashSet;
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

    /** The versions both sides enable, of those a client offered. */
    public Set<String> sharedVersions(List<String> offered) {
        Set<String> common = new HashSet<>(offered);
        common.retainAll(protocols);
        return common;
    }

    /** The suites a client offered (in any spelling) that the server enables for one of {@code versions}. */
    public List<String> sharedSuites(List<String> offered, Set<String> versions) {
        boolean tls13 = versions.contains("TLSv1.3");
        boolean belowTls13 = versions.stream().anyMatch(v -> !v.equals("TLSv1.3"));
        List<String> common = new ArrayList<>();
        for (String name : offered) {
            String suite = CipherSuiteRules.canonical(name);
            boolean fits = CipherSuiteRules.isTls13(suite) ? tls13 : belowTls13;
            if (fits && cipherSuites.contains(suite)) {
                common.add(suite);
            }
        }
        return common;
    }

    /** Whether a client offered (in any spelling) a group the server enables. */
    public boolean sharesGroup(List<String> offered) {
        return offered.stream().map(TlsGroup::canonical).anyMatch(groups::contains);
    }

    /** TLS 1.3 and ECDHE suites need a shared group; RSA and DHE key exchange in TLS 1.2 do not. */
    public static boolean needsGroup(String suite) {
        return CipherSuiteRules.isTls13(suite) || suite.startsWith("TLS_ECDHE_");
    }

    private static Set<String> canonical(List<String> names, boolean suites) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            out.add(suites ? CipherSuiteRules.canonical(name) : TlsGroup.canonical(name));
        }
        return out;
    }
}
