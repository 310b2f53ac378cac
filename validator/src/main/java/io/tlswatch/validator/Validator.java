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
import io.tlswatch.validator.api.ApiMetrics;
import io.tlswatch.validator.api.LicenseApiHandler;
import io.tlswatch.validator.api.LicenseService;
import io.tlswatch.validator.api.RefusalLog;
import io.tlswatch.validator.api.ValidateRequestReader;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.license.MachineGate;
import io.tlswatch.validator.license.LicenseRegistry;
import io.tlswatch.validator.license.MachineCounter;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.KeyReloadMeters;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.SigningKeyFileWatcher;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The validator: the license API on a {@link TlsServiceHost}, which it binds once the license registry has caught
 * up. The host owns start-up and the ordered shutdown; {@link #start} returns a running, ready server or fails with
 * the reason.
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
    private final SigningKeys keys;
    private final int port;

    private Validator(TlsServiceHost host, AdminServer admin, LicenseRegistry registry, SigningKeys keys, int port) {
        this.host = host;
        this.admin = admin;
        this.registry = registry;
        this.keys = keys;
        this.port = port;
    }

    public static Validator start(ValidatorConfig config, Clock clock) {
        warnIfInsecure(config.server().tls());
        TlsServiceHost.Spec spec = new TlsServiceHost.Spec("validator", config.server(), true,
                "validator-" + config.server().nodeName(),
                List.of(Topics.HANDSHAKES, Topics.LICENSE_CHECKS, Topics.CERTIFICATES, Topics.LICENSES),
                List.of(Topics.HANDSHAKES, Topics.LICENSE_CHECKS, Topics.CERTIFICATES));
        return TlsServiceHost.start(spec, clock, host -> start(config, clock, host));
    }

    private static Validator start(ValidatorConfig config, Clock clock, TlsServiceHost host) {
        PrometheusMeterRegistry meters = host.meters();
        LicenseRegistry registry = new LicenseRegistry(config.server().kafka(),
                config.server().kafka().topics().named(Topics.LICENSES), meters);
        host.closes("license registry", limit -> registry.close());
        registry.start();
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
        LicenseDecision decision = new LicenseDecision(registry,
                new DefaultTerms(config.machines().window(), tokenSettings.lifetime(), config.proofRequired()),
                MachineGate.counting(new MachineCounter(clock, config.machines(), meters)));
        LicenseService service = new LicenseService(decision,
                new DpopVerifier(config.dpopSettings(), new ReplayCache(ReplayCache.DEFAULT_CAPACITY, clock), clock),
                new TokenIssuer(keys, tokenSettings, clock), config.publicUri(LicenseApiHandler.VALIDATE_PATH), clock,
                host.source());
        AdminServer admin = host.startAdmin(List.of(
                HealthCheck.of("licenses", registry::isCaughtUp),
                HealthCheck.of("tls-listener", host::bound)));
        try {
            registry.awaitCaughtUp(config.server().startupTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the license registry", e);
        }
        EventSink events = events(config, host);
        // Proof checks and token signing run here, off the event loops (ValidatorInitializer): one thread per core,
        // as the work is all CPU.
        ValidatorInitializer.Api api = new ValidatorInitializer.Api(new ValidateRequestReader(), service, keys::jwks,
                new ApiMetrics(meters), new RefusalLog(config.dpopSettings().iatWindow(), clock), events,
                host.executor("tlswatch-api", Runtime.getRuntime().availableProcessors()));
        int port = host.bind(config.port(), new ValidatorInitializer(new ServicePipeline(host.listener("validator"),
                host.handshakes(HandshakeEvent.LISTENER_VALIDATOR, events)), api));
        host.ready();
        // Generated keys rotate on a schedule; a key file is shared by replicas, so there the operator rotates
        // by changing the file, which is watched (a key generated here would be unknown to the other replicas).
        if (config.tokenKeyFile() == null && !config.tokenRotateEvery().isZero()) {
            host.every(config.tokenRotateEvery(), keys::rotate);
        }
        log.info("Validator ready on https://{}:{} (TLS provider {}, {} licenses), admin on port {}",
                config.server().host(), port, host.certificates().current().provider().name().toLowerCase(Locale.ROOT),
                registry.size(), admin.port());
        return new Validator(host, admin, registry, keys, port);
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

    /** Stops in the host's order, within {@code shutdown.grace}: see {@link TlsServiceHost#close}. */
    @Override
    public void close() {
        host.close();
    }
}
