package io.tlswatch.tlsserver.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.tlswatch.contract.event.TlsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.security.GeneralSecurityException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_CERTIFICATE;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_CIPHER_SUITES;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_GROUPS;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_PROTOCOLS;
import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_PROVIDER;

/**
 * Builds a server {@link SslContext} from {@link TlsSettings}: checks them against {@link TlsPolicy}, picks the
 * provider, loads the key material, maps suite and group names to what the provider expects, and refuses any
 * setting the chosen provider cannot honour rather than dropping it silently.
 */
public final class ServerSslContextFactory {

    private static final Logger log = LoggerFactory.getLogger(ServerSslContextFactory.class);

    private final TlsPolicy policy;
    private final KeyMaterialLoader loader;
    private final List<String> applicationProtocols;
    private final Supplier<NativeTls> nativeTls;

    /**
     * @param applicationProtocols the ALPN protocols to select from, in preference order (e.g.
     *                             {@code http/1.1}); empty for no ALPN
     */
    public ServerSslContextFactory(TlsPolicy policy, KeyMaterialLoader loader, List<String> applicationProtocols) {
        this(policy, loader, applicationProtocols, NativeTls::probe);
    }

    ServerSslContextFactory(TlsPolicy policy, KeyMaterialLoader loader, List<String> applicationProtocols,
                            Supplier<NativeTls> nativeTls) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.applicationProtocols = List.copyOf(applicationProtocols);
        this.nativeTls = Objects.requireNonNull(nativeTls, "nativeTls");
    }

    /**
     * @param settings settings with a certificate (resolve a missing one with {@link DevCertificates} first)
     * @throws TlsConfigurationException when the settings are refused, the provider cannot honour them, or the
     *                                   key material is unusable
     */
    public ServerTlsContext create(TlsSettings settings) {
        policy.enforce(settings);
        if (settings.certificate() == null) {
            throw new TlsConfigurationException(KEY_CERTIFICATE + " is not set: configure one, or generate a "
                    + "development certificate with DevCertificates first");
        }
        return create(settings, loader.load(settings.certificate()), false);
    }

    /**
     * Builds a context around key material that was already loaded (and checked) by the caller, so that what was
     * checked is exactly what is served: a certificate manager reading files that may change under it needs that.
     *
     * @param material     the key and chain to present; {@code settings.certificate()} is not read
     * @param ocspStapling whether the context may staple OCSP responses (OpenSSL provider only: the engine of each
     *                     connection is then given the response with {@code setOcspResponse}); ignored on the
     *                     JDK provider, where Netty offers no way to staple
     * @throws TlsConfigurationException as {@link #create(TlsSettings)}
     */
    public ServerTlsContext create(TlsSettings settings, ServerKeyMaterial material, boolean ocspStapling) {
        policy.enforce(settings);
        Objects.requireNonNull(material, "material");
        NativeTls probe = nativeTls.get();
        TlsProvider provider = ProviderChoice.choose(settings.provider(), probe.available(), probe.cause());
        if (settings.provider() == TlsSettings.ProviderPreference.AUTO && provider == TlsProvider.JDK) {
            log.info("OpenSSL provider unavailable ({}): using the JDK's TLS", probe.cause());
        }
        List<String> suites = provider == TlsProvider.OPENSSL
                ? openSslSuites(settings)
                : jdkSuites(settings);
        List<String> groups = providerGroups(settings, provider);
        warnIfExpired(material.leaf());

        SslContextBuilder builder = SslContextBuilder.forServer(material.privateKey(), material.chain())
                .sslProvider(provider == TlsProvider.OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(settings.protocols())
                // Identity: a suite the provider lacks was refused above, never silently dropped here.
                .ciphers(suites, IdentityCipherSuiteFilter.INSTANCE)
                .clientAuth(clientAuth(settings.clientAuth()));
        if (settings.clientAuth() != TlsSettings.ClientAuthMode.NONE) {
            builder.trustManager(loader.loadTrustedCas(settings.clientCaFile()));
        }
        if (!applicationProtocols.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    applicationProtocols));
        }
        if (provider == TlsProvider.OPENSSL) {
            builder.option(OpenSslContextOption.GROUPS, groups.toArray(String[]::new));
            if (ocspStapling && OpenSsl.isOcspSupported()) {
                builder.enableOcsp(true);
            }
        } else {
            warnIfJdkDisablesProtocols(settings.protocols());
        }
        SslContext context;
        try {
            context = builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigurationException("the " + provider + " provider refused the TLS settings: "
                    + e.getMessage(), e);
        }
        if (provider == TlsProvider.JDK) {
            context = new JdkGroupRestriction(context, Set.copyOf(groups));
        }
        return new ServerTlsContext(context, provider, EnabledTls.of(settings), material.chain(),
                settings.clientAuth());
    }

    private static List<String> openSslSuites(TlsSettings settings) {
        Set<String> available = OpenSsl.availableJavaCipherSuites();
        List<String> suites = new ArrayList<>();
        Set<String> tls13 = new LinkedHashSet<>();
        for (String configured : settings.cipherSuites()) {
            String suite = CipherSuiteRules.canonical(configured);
            if (CipherSuiteRules.isTls13(suite)) {
                tls13.add(suite);
            } else if (!available.contains(suite)) {
                throw unsupportedSuite(configured, "OpenSSL (BoringSSL)");
            }
            suites.add(suite);
        }
        if (settings.protocols().contains("TLSv1.3") && !tls13.equals(CipherSuiteRules.BORINGSSL_TLS13_SUITES)) {
            throw new TlsConfigurationException(KEY_CIPHER_SUITES + " enables TLS 1.3 suites " + tls13
                    + ", but the OpenSSL provider (BoringSSL) always enables exactly "
                    + "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 and TLS_CHACHA20_POLY1305_SHA256: list those "
                    + "three, or set " + KEY_PROVIDER + "=JDK");
        }
        return suites;
    }

    private static List<String> jdkSuites(TlsSettings settings) {
        Map<String, String> supported = new LinkedHashMap<>();
        for (String name : jdkSupportedSuites()) {
            supported.put(CipherSuiteRules.canonical(name), name);
        }
        // The broad report profile is a best-effort list, and newer JDKs implement fewer legacy suites (JDK 24
        // and later dropped the static-RSA key exchange suites): what this JDK lacks is left out of it rather than
        // refusing to start. A list an operator configured is still checked strictly.
        boolean bestEffort = settings.cipherSuites().equals(TlsSettings.insecureBroad().cipherSuites());
        List<String> suites = new ArrayList<>();
        List<String> leftOut = new ArrayList<>();
        for (String configured : settings.cipherSuites()) {
            String jdkName = supported.get(CipherSuiteRules.canonical(configured));
            if (jdkName == null && bestEffort) {
                leftOut.add(configured);
            } else if (jdkName == null) {
                throw unsupportedSuite(configured, "JDK");
            } else {
                suites.add(jdkName);
            }
        }
        if (!leftOut.isEmpty()) {
            log.info("The JDK provider of Java {} does not implement {}: left out of the broad profile",
                    Runtime.version().feature(), leftOut);
        }
        return suites;
    }

    private static String[] jdkSupportedSuites() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context.getSupportedSSLParameters().getCipherSuites();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS implementation", e);
        }
    }

    private static TlsConfigurationException unsupportedSuite(String suite, String provider) {
        return new TlsConfigurationException(KEY_CIPHER_SUITES + " contains " + suite + ", which the " + provider
                + " provider does not implement: remove it, or choose the other provider with " + KEY_PROVIDER);
    }

    private static List<String> providerGroups(TlsSettings settings, TlsProvider provider) {
        List<String> names = new ArrayList<>();
        for (String configured : settings.groups()) {
            TlsGroup group = TlsGroup.of(configured).orElseThrow(); // TlsPolicy refused unknown names
            if (provider == TlsProvider.OPENSSL) {
                names.add(group.boringSslName().orElseThrow(() -> unsupportedGroup(configured, "OpenSSL (BoringSSL)")));
            } else {
                if (!group.supportedByJdk()) {
                    throw unsupportedGroup(configured, "JDK");
                }
                names.add(group.ianaName());
            }
        }
        return names;
    }

    private static TlsConfigurationException unsupportedGroup(String group, String provider) {
        return new TlsConfigurationException(KEY_GROUPS + " contains " + group + ", which the " + provider
                + " provider does not implement: remove it, or choose the other provider with " + KEY_PROVIDER);
    }

    private static ClientAuth clientAuth(TlsSettings.ClientAuthMode mode) {
        return switch (mode) {
            case NONE -> ClientAuth.NONE;
            case OPTIONAL -> ClientAuth.OPTIONAL;
            case REQUIRE -> ClientAuth.REQUIRE;
        };
    }

    private static void warnIfExpired(X509Certificate leaf) {
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(Instant.now())) {
            log.warn("the server certificate {} expired at {}: clients will refuse it",
                    leaf.getSubjectX500Principal(), notAfter);
        }
    }

    /**
     * The JDK refuses TLS 1.0 and 1.1 JVM-wide through the security property {@code jdk.tls.disabledAlgorithms},
     * whatever a context enables; only the operator can lift that, for the whole JVM.
     */
    private static void warnIfJdkDisablesProtocols(List<String> protocols) {
        String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        if (disabled == null) {
            return;
        }
        Set<String> tokens = new LinkedHashSet<>();
        for (String token : disabled.split(",")) {
            tokens.add(token.strip().toLowerCase(Locale.ROOT));
        }
        List<String> blocked = protocols.stream().filter(p -> tokens.contains(p.toLowerCase(Locale.ROOT))).toList();
        if (!blocked.isEmpty()) {
            log.warn("{} enables {}, but the JDK provider has them disabled by the security property "
                            + "jdk.tls.disabledAlgorithms: clients on them will fail with protocol_version "
                            + "(see docs/tls.md)", KEY_PROTOCOLS, blocked);
        }
    }

    /** Whether netty-tcnative loaded, and why not. */
    record NativeTls(boolean available, Throwable cause) {
        static NativeTls probe() {
            return new NativeTls(OpenSsl.isAvailable(), OpenSsl.unavailabilityCause());
        }

        @Override
        public String toString() {
            return available ? "available" : String.valueOf(cause);
        }
    }
}
