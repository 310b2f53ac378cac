package io.tlswatch.validator;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.http.AdminServer;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.tlsserver.certificate.CertificateManager;
import io.tlswatch.tlsserver.host.ServicePipeline;
import io.tlswatch.tlsserver.host.TlsServiceHost;
import io.tlswatch.tlsserver.tls.ServerTlsContext;
import io.tlswatch.tlsserver.tls.TlsSettings;
import io.tlswatch.validator.admin.AdminApiListener;
import io.tlswatch.validator.admin.AdminApiTables;
import io.tlswatch.validator.api.ApiMetrics;
import io.tlswatch.validator.api.LicenseApiHandler;
import io.tlswatch.validator.api.LicenseService;
import io.tlswatch.validator.api.MachineService;
import io.tlswatch.validator.api.RefusalLog;
import io.tlswatch.validator.api.ValidateRequestReader;
import io.tlswatch.validator.license.LicenseRegistry;
import io.tlswatch.validator.policy.PolicyRegistry;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The validator: the license API on a {@link TlsServiceHost}, which it binds once the license and policy registries
 * have caught up. The host owns start-up and the ordered shutdown; {@link #start} returns a running, ready server or
 * fails with the reason.
 */
public final class Validator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Validator.class);

    static {
        // The JDK provider reads this once, when its TLS classes load: set here as well as in the launcher's main,
        // so an embedding application gets it too unless it already used JSSE (docs/security.md).
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final TlsServiceHost host;
    private final AdminServer admin;
    private final LicenseRegistry registry;
    private final PolicyRegistry policies;
    private final SigningKeys keys;
    private final int port;
    private final int adminApiPort;

    private Validator(TlsServiceHost host, AdminServer admin, LicenseRegistry registry, PolicyRegistry policies,
                      SigningKeys keys, int port, int adminApiPort) {
        this.adminApiPort = adminApiPort;
        this.host = host;
        this.admin = admin;
        this.registry = registry;
        this.policies = policies;
        this.keys = keys;
        this.port = port;
    }

    public static Validator start(ValidatorConfig config, Clock clock) {
        warnIfInsecure(config.server().tls());
        TlsServiceHost.Spec spec = new TlsServiceHost.Spec("validator", config.server(), true,
                "validator-" + config.server().nodeName(),
                List.of(Topics.HANDSHAKES, Topics.LICENSE_CHECKS, Topics.CERTIFICATES, Topics.LICENSES,
                        Topics.POLICIES, Topics.MACHINES, Topics.ADMIN_TOKENS),
                List.of(Topics.HANDSHAKES, Topics.LICENSE_CHECKS, Topics.CERTIFICATES),
                List.of(Topics.LICENSES, Topics.POLICIES, Topics.MACHINES, Topics.ADMIN_TOKENS),
                written(config));
        return TlsServiceHost.start(spec, clock, host -> start(config, clock, host));
    }

    /** Its events, the machine ledger, and with the admin API on the licenses and policies it changes. */
    private static List<Topic<?, ?>> written(ValidatorConfig config) {
        List<Topic<?, ?>> written = new ArrayList<>(List.of(Topics.HANDSHAKES, Topics.LICENSE_CHECKS,
                Topics.CERTIFICATES, Topics.MACHINES));
        written.addAll(config.adminApi().enabled() ? List.of(Topics.LICENSES, Topics.POLICIES) : List.of());
        return written;
    }

    private static Validator start(ValidatorConfig config, Clock clock, TlsServiceHost host) {
        PrometheusMeterRegistry meters = host.meters();
        TokenSettings tokenSettings = config.tokenSettings();
        Licensing licensing = Licensing.start(config, clock, host, tokenSettings);
        SigningKeys keys = TokenSigning.keys(config, clock, host);
        LicenseService service = new LicenseService(licensing.decision,
                new DpopVerifier(config.dpopSettings(), new ReplayCache(ReplayCache.DEFAULT_CAPACITY, clock), clock),
                new TokenIssuer(keys, tokenSettings, clock), config.publicUri(LicenseApiHandler.VALIDATE_PATH), clock,
                host.source(), licensing.machines::machine);
        MachineService machineService = new MachineService(service, licensing.machines, config::publicUri, meters);
        List<HealthCheck> checks = new ArrayList<>(licensing.healthChecks());
        checks.add(HealthCheck.of("tls-listener", host::bound));
        AdminServer admin = host.startAdmin(checks);
        licensing.awaitReady(config, clock, host);
        EventSink events = events(config, host);
        // Proof checks and token signing run here, off the event loops (ValidatorInitializer): one thread per core,
        // as the work is all CPU.
        ValidatorInitializer.Api api = new ValidatorInitializer.Api(new ValidateRequestReader(), service,
                machineService, keys::jwks,
                new ApiMetrics(meters), new RefusalLog(config.dpopSettings().iatWindow(), clock), events,
                host.executor("tlswatch-api", Runtime.getRuntime().availableProcessors()));
        int port = host.bind(config.port(), new ValidatorInitializer(new ServicePipeline(host.listener("validator"),
                host.handshakes(HandshakeEvent.LISTENER_VALIDATOR, events)), api));
        int adminApiPort = config.adminApi().enabled()
                ? AdminApiListener.start(config.adminApi(), host, config.server().kafka(),
                AdminApiTables.open(host, config.server().kafka(), licensing.registry, licensing.policies.table(),
                        licensing.machineRegistry.ledger(), config.server().startupTimeout()), clock)
                : -1;
        host.ready();
        TokenSigning.rotateOnSchedule(config, host, keys);
        log.info("Validator ready on https://{}:{} (TLS provider {}, {} licenses, {} policies), admin on port {}{}",
                config.server().host(), port, host.certificates().current().provider().name().toLowerCase(Locale.ROOT),
                licensing.registry.size(), licensing.policies.size(), admin.port(),
                adminApiPort < 0 ? "" : ", admin API on https port " + adminApiPort);
        return new Validator(host, admin, licensing.registry, licensing.policies, keys, port, adminApiPort);
    }

    /** {@code events.enabled=false} exists to measure what emitting events costs; it is never the default. */
    private static EventSink events(ValidatorConfig config, TlsServiceHost host) {
        if (config.eventsEnabled()) {
            return host.publisher();
        }
        log.warn("events.enabled=false: no handshake or license-check events are emitted");
        return new EventSink() {
            @Override
            public <V extends Event> boolean publish(Topic<String, V> topic, V event) {
                return false;
            }
        };
    }

    private static void warnIfInsecure(TlsSettings settings) {
        if (settings.allowInsecure()) {
            log.warn("tls.allowInsecure=true: protocols {} and suites {} are accepted even where they fall outside "
                    + "the Mozilla intermediate profile", settings.protocols(), settings.cipherSuites());
        }
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return admin.port();
    }

    /** The admin API's HTTPS port; -1 when it is off ({@code admin.api.port} unset). */
    public int adminApiPort() {
        return adminApiPort;
    }

    public PrometheusMeterRegistry meters() {
        return host.meters();
    }

    /** The TLS context new connections get now (it changes when the certificate is rotated). */
    public ServerTlsContext tls() {
        return host.certificates().current();
    }

    /** The certificate manager: what is served, its OCSP staple, rotation on demand. */
    public CertificateManager certificates() {
        return host.certificates();
    }

    public SigningKeys signingKeys() {
        return keys;
    }

    public LicenseRegistry registry() {
        return registry;
    }

    /** The policies this validator holds, as the admin API reads them. */
    public PolicyRegistry policies() {
        return policies;
    }

    /** Stops in the host's order, within {@code shutdown.grace}: see {@link TlsServiceHost#close}. */
    @Override
    public void close() {
        host.close();
    }
}
