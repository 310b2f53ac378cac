package io.tlswatch.tlsserver.tls;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_ALLOW_INSECURE;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_CIPHER_SUITES;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_CLIENT_CA_FILE;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_CLIENT_AUTH;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_GROUPS;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_PROTOCOLS;

/**
 * Decides at start-up whether TLS settings are acceptable, before any socket is opened.
 *
 * <p>Three kinds of refusal:
 * <ul>
 *   <li><b>legacy</b>, refused unless {@code tls.allowInsecure=true}: SSLv3, TLS 1.0, TLS 1.1, the SSLv2 hello
 *       format, and suites that are not AEAD (CBC, 3DES) or have no forward secrecy (RSA key exchange, static
 *       DH/ECDH, plain PSK);</li>
 *   <li><b>broken</b>, refused always: SSLv2, and suites with no encryption, no authentication, export-grade
 *       keys, RC4, RC2, IDEA or single DES. No client this product serves needs them;</li>
 *   <li><b>invalid</b>, refused always: unknown names, empty lists, a protocol with no suite to negotiate,
 *       client certificates asked for with no CA to check them against.</li>
 * </ul>
 * Every message names the setting key and the offending value.
 */
public final class TlsPolicy {

    /** Protocol versions as the JDK names them, each with whether it is legacy. */
    private static final Map<String, Boolean> KNOWN_PROTOCOLS = Map.of(
            "SSLv2Hello", true,
            "SSLv3", true,
            "TLSv1", true,
            "TLSv1.1", true,
            "TLSv1.2", false,
            "TLSv1.3", false);

    /**
     * Every refusal, in setting order; empty when the settings may be used.
     */
    public List<String> problems(TlsSettings settings) {
        List<String> problems = new ArrayList<>();
        checkProtocols(settings, problems);
        checkCipherSuites(settings, problems);
        checkGroups(settings, problems);
        checkClientAuth(settings, problems);
        return problems;
    }

    /**
     * @throws TlsConfigurationException naming every refused setting, when there is any
     */
    public void enforce(TlsSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            throw new TlsConfigurationException(String.join("; ", problems));
        }
    }

    private static void checkProtocols(TlsSettings settings, List<String> problems) {
        if (settings.protocols().isEmpty()) {
            problems.add(KEY_PROTOCOLS + " is empty: enable TLSv1.2 and TLSv1.3");
        }
        for (String protocol : settings.protocols()) {
            Boolean legacy = KNOWN_PROTOCOLS.get(protocol);
            if (protocol.equals("SSLv2")) {
                problems.add(KEY_PROTOCOLS + " contains SSLv2, which no provider implements and nothing may use");
            } else if (legacy == null) {
                problems.add(KEY_PROTOCOLS + " contains unknown protocol '" + protocol + "' (known: SSLv3, TLSv1, "
                        + "TLSv1.1, TLSv1.2, TLSv1.3, SSLv2Hello)");
            } else if (legacy && !settings.allowInsecure()) {
                problems.add(KEY_PROTOCOLS + " contains " + protocol + ": set " + KEY_ALLOW_INSECURE
                        + "=true to allow it");
            }
        }
    }

    private static void checkCipherSuites(TlsSettings settings, List<String> problems) {
        if (settings.cipherSuites().isEmpty()) {
            problems.add(KEY_CIPHER_SUITES + " is empty");
            return;
        }
        Set<String> seen = new HashSet<>();
        boolean anyTls13 = false;
        boolean anyBelowTls13 = false;
        for (String suite : settings.cipherSuites()) {
            if (!CipherSuiteRules.isWellFormed(suite)) {
                problems.add(KEY_CIPHER_SUITES + " contains '" + suite + "', which is not an IANA cipher suite "
                        + "name (e.g. TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)");
                continue;
            }
            if (!seen.add(CipherSuiteRules.canonical(suite))) {
                problems.add(KEY_CIPHER_SUITES + " lists " + suite + " twice");
            }
            boolean tls13 = CipherSuiteRules.isTls13(suite);
            anyTls13 |= tls13;
            anyBelowTls13 |= !tls13;
            List<String> broken = CipherSuiteRules.brokenReasons(suite);
            if (!broken.isEmpty()) {
                problems.add(KEY_CIPHER_SUITES + " contains " + suite + " (" + String.join(", ", broken)
                        + "), which is never allowed");
                continue;
            }
            List<String> legacy = CipherSuiteRules.legacyReasons(suite);
            if (!legacy.isEmpty() && !settings.allowInsecure()) {
                problems.add(KEY_CIPHER_SUITES + " contains " + suite + " (" + String.join(", ", legacy)
                        + "): set " + KEY_ALLOW_INSECURE + "=true to allow it");
            }
        }
        if (settings.protocols().contains("TLSv1.3") && !anyTls13) {
            problems.add(KEY_CIPHER_SUITES + " has no TLS 1.3 suite, but " + KEY_PROTOCOLS + " enables TLSv1.3");
        }
        boolean belowTls13Enabled = settings.protocols().stream()
                .anyMatch(p -> KNOWN_PROTOCOLS.containsKey(p) && !p.equals("TLSv1.3") && !p.equals("SSLv2Hello"));
        if (belowTls13Enabled && !anyBelowTls13) {
            problems.add(KEY_CIPHER_SUITES + " has no suite for TLS 1.2 or below, but " + KEY_PROTOCOLS
                    + " enables " + String.join(", ", settings.protocols().stream()
                    .filter(p -> !p.equals("TLSv1.3")).toList()));
        }
    }

    private static void checkGroups(TlsSettings settings, List<String> problems) {
        if (settings.groups().isEmpty()) {
            problems.add(KEY_GROUPS + " is empty: enable x25519, secp256r1, secp384r1");
        }
        Set<TlsGroup> seen = new HashSet<>();
        for (String group : settings.groups()) {
            TlsGroup known = TlsGroup.of(group).orElse(null);
            if (known == null) {
                problems.add(KEY_GROUPS + " contains unknown or unsupported group '" + group + "' (known: x25519, "
                        + "secp256r1, secp384r1, secp521r1, x448, ffdhe2048 to ffdhe8192, X25519MLKEM768)");
            } else if (!seen.add(known)) {
                problems.add(KEY_GROUPS + " lists " + group + " twice");
            }
        }
    }

    private static void checkClientAuth(TlsSettings settings, List<String> problems) {
        if (settings.clientAuth() != TlsSettings.ClientAuthMode.NONE && settings.clientCaFile() == null) {
            problems.add(KEY_CLIENT_CA_FILE + " is required when " + KEY_CLIENT_AUTH + " is "
                    + settings.clientAuth());
        }
    }
}
