package io.tlswatch.validator;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.util.concurrent.EventExecutorGroup;
import io.tlswatch.contract.event.AdminTokenRecord;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.PolicyRecord;
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
import io.tlswatch.validator.admin.LedgerMachineDirectory;
import io.tlswatch.validator.admin.TablePolicyDirectory;
import io.tlswatch.validator.admin.TableReads;
import io.tlswatch.validator.api.ApiMetrics;
import io.tlswatch.validator.api.LicenseApiHandler;
import io.tlswatch.validator.api.LicenseService;
import io.tlswatch.validator.api.MachineService;
import io.tlswatch.validator.api.RefusalLog;
import io.tlswatch.validator.api.ValidateRequestReader;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.license.LicenseRegistry;
import io.tlswatch.validator.license.TermsResolver;
import io.tlswatch.validator.machine.MachineCuller;
import io.tlswatch.validator.machine.MachineLedger;
import io.tlswatch.validator.machine.MachineRegistry;
import io.tlswatch.validator.machine.SharedMachines;
import io.tlswatch.validator.policy.PolicyRegistry;
import io.tlswatch.validator.policy.PolicyTermsResolver;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.KeyReloadMeters;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.SigningKeyFileWatcher;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import io.tlswatch.validator.table.CompactedTable;
import io.tlswatch.validator.table.TableListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
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
                List.of(Topics.HANDSHAKES, Topics.LICENSE_CHECKS, Topics.CERTIFICATES));
        return TlsServiceHost.start(spec, clock, host -> start(config, clock, host));
    }

    private static Validator start(ValidatorConfig config, Clock clock, TlsServiceHost host) {
        PrometheusMeterRegistry meters = host.meters();
        LicenseRegistry registry = new LicenseRegistry(config.server().kafka(),
                config.server().kafka().topics().named(Topics.LICENSES), meters);
        host.closes("license registry", limit -> registry.close());
        registry.start();
        PolicyRegistry policies = new PolicyRegistry(config.server().kafka(), meters);
        host.closes("policy registry", policies::close);
        policies.start();
        SigningKeys keys = signingKeys(config, clock);
        KeyReloadMeters reloads = new KeyReloadMeters(meters);
        // As often as the certificate files; where those are not watched, the key file is read at start-up only.
        if (config.tokenKeyFile() != null && !config.server().certificates().watchInterval().isZero()) {
            SigningKeyFileWatcher watcher = new SigningKeyFileWatcher(config.tokenKeyFile(), keys, reloads,
                    config.server().certificates().watchInterval());
            host.closes("token key file watcher", limit -> watcher.close());
            watcher.start();
        }
        TokenSettings tokenSettings = config.tokenSettings();
        TermsResolver terms = new PolicyTermsResolver(new DefaultTerms(config.machineWindow(),
                tokenSettings.lifetime(), config.proofRequired()), policies, meters, clock);
        // Folded with each license's maxMachines as this replica knows it when the row is read; the license and
        // policy registries are caught up before the machines are read, so a restart folds with every license
        // and policy known.
        MachineRegistry machineRegistry = new MachineRegistry(config.server().kafka(),
                config.server().kafka().topics().named(Topics.MACHINES), meters,
                licenseId -> registry.byLicenseId(licenseId).map(l -> terms.termsFor(l).maxMachines())
                        .orElse(Integer.MAX_VALUE),
                config.machineActivationTimeout(), "validator-machines-" + config.server().nodeName());
        host.closes("machine registry", machineRegistry::close);
        SharedMachines machines = new SharedMachines(machineRegistry.ledger(), machineRegistry,
                machineRegistry.metrics(), config.machineActivationTimeout(), host.source());
        LicenseDecision decision = new LicenseDecision(registry, terms, machines);
        LicenseService service = new LicenseService(decision,
                new DpopVerifier(config.dpopSettings(), new ReplayCache(ReplayCache.DEFAULT_CAPACITY, clock), clock),
                new TokenIssuer(keys, tokenSettings, clock), config.publicUri(LicenseApiHandler.VALIDATE_PATH), clock,
                host.source(), machines::machine);
        MachineService machineService = new MachineService(service, machines, config::publicUri, meters);
        AdminServer admin = host.startAdmin(List.of(
                HealthCheck.of("licenses", registry::isCaughtUp),
                HealthCheck.of("policies", policies::isCaughtUp),
                HealthCheck.of("machines", machineRegistry::isCaughtUp),
                HealthCheck.of("tls-listener", host::bound)));
        try {
            registry.awaitCaughtUp(config.server().startupTimeout());
            // Both start from the same moment, so together they take about as long as the slower one.
            policies.awaitCaughtUp(config.server().startupTimeout());
            machineRegistry.start();
            machineRegistry.awaitCaughtUp(config.server().startupTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the license, policy and machine registries", e);
        }
        cullOnSchedule(config, clock, host, registry, terms, machineRegistry, machines);
        EventSink events = events(config, host);
        // Proof checks and token signing run here, off the event loops (ValidatorInitializer): one thread per core,
        // as the work is all CPU.
        ValidatorInitializer.Api api = new ValidatorInitializer.Api(new ValidateRequestReader(), service,
                machineService, keys::jwks,
                new ApiMetrics(meters), new RefusalLog(config.dpopSettings().iatWindow(), clock), events,
                host.executor("tlswatch-api", Runtime.getRuntime().availableProcessors()));
        int port = host.bind(config.port(), new ValidatorInitializer(new ServicePipeline(host.listener("validator"),
                host.handshakes(HandshakeEvent.LISTENER_VALIDATOR, events)), api));
        int adminApiPort = config.adminApi().enabled() ? startAdminApi(config, clock, host, registry, policies,
                machineRegistry.ledger()) : -1;
        host.ready();
        // Generated keys rotate on a schedule; a key file is shared by replicas, so there the operator rotates
        // by changing the file, which is watched (a key generated here would be unknown to the other replicas).
        if (config.tokenKeyFile() == null && !config.tokenRotateEvery().isZero()) {
            host.every(config.tokenRotateEvery(), keys::rotate);
        }
        log.info("Validator ready on https://{}:{} (TLS provider {}, {} licenses, {} policies), admin on port {}{}",
                config.server().host(), port, host.certificates().current().provider().name().toLowerCase(Locale.ROOT),
                registry.size(), policies.size(), admin.port(),
                adminApiPort < 0 ? "" : ", admin API on https port " + adminApiPort);
        return new Validator(host, admin, registry, policies, keys, port, adminApiPort);
    }

    /** The admin API's listener, with followers of the tables it reads beyond the registry; returns its port. */
    private static int startAdminApi(ValidatorConfig config, Clock clock, TlsServiceHost host,
                                     LicenseRegistry registry, PolicyRegistry policyRegistry,
                                     MachineLedger ledger) {
        CompactedTable<AdminTokenRecord> tokens = table(config, host, config.server().kafka().topics().named(Topics.ADMIN_TOKENS),
                "admin-tokens");
        CompactedTable<PolicyRecord> policies = policyRegistry.table();
        try {
            tokens.awaitCaughtUp(config.server().startupTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the admin API's tables", e);
        }
        return AdminApiListener.start(config.adminApi(), host, config.server().kafka(),
                new AdminApiListener.Tables(registry, reads(tokens),
                        new TablePolicyDirectory(reads(policies)), new LedgerMachineDirectory(ledger)),
                clock);
    }

    private static <V extends Event> CompactedTable<V> table(ValidatorConfig config, TlsServiceHost host,
                                                              Topic<String, V> topic, String name) {
        CompactedTable<V> table = new CompactedTable<>(config.server().kafka(), topic, name, host.meters(),
                TableListener.none());
        host.closes(name + " table", limit -> table.close(limit));
        table.start();
        return table;
    }

    private static <V extends Event> TableReads<V> reads(CompactedTable<V> table) {
        return new TableReads<>(table::get, table::values, table::awaitApplied);
    }

    /**
     * Every replica culls (idempotent rows), on a thread of its own: a write may block while Kafka is unreachable,
     * which must not hold up the host's scheduler.
     */
    private static void cullOnSchedule(ValidatorConfig config, Clock clock, TlsServiceHost host,
                                       LicenseRegistry registry, TermsResolver terms, MachineRegistry machineRegistry,
                                       SharedMachines machines) {
        MachineCuller culler = new MachineCuller(machineRegistry.ledger(),
                licenseId -> registry.byLicenseId(licenseId).map(terms::termsFor), machines, clock);
        EventExecutorGroup cullThread = host.executor("tlswatch-machine-culler", 1);
        host.every(config.machineCullInterval(), () -> {
            try {
                cullThread.execute(() -> {
                    try {
                        culler.run();
                    } catch (RuntimeException e) {
                        log.warn("Machine culling failed; it runs again in {}", config.machineCullInterval(), e);
                    }
                });
            } catch (RejectedExecutionException e) {
                log.debug("Machine culling skipped: shutting down");
            }
        });
    }

    private static SigningKeys signingKeys(ValidatorConfig config, Clock clock) {
        TokenSettings tokenSettings = config.tokenSettings();
        if (config.tokenKeyFile() != null) {
            return SigningKeys.load(config.tokenKeyFile(), config.tokenAlgorithm(), tokenSettings.keyRetention(), clock);
        }
        SigningKeys keys = SigningKeys.generate(config.tokenAlgorithm(), tokenSettings.keyRetention(), clock);
        log.warn("No token.keyFile configured: signing with a key generated at start-up ({}); tokens will not "
                + "verify against another replica or after a restart", keys.current().kid());
        return keys;
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
