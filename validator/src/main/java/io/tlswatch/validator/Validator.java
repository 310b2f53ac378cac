package io.tlswatch.validator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tlswatch.tlsserver.certificate.CertificateCandidate;
import io.tlswatch.tlsserver.certificate.CertificateLoader;
import io.tlswatch.tlsserver.certificate.CertificateManager;
import io.tlswatch.tlsserver.certificate.CertificateSettings;
import io.tlswatch.tlsserver.certificate.CertificateTelemetry;
import io.tlswatch.tlsserver.certificate.DevelopmentFallback;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.tlsserver.handshake.HandshakeEventFactory;
import io.tlswatch.tlsserver.handshake.HandshakeMetrics;
import io.tlswatch.http.AdminServer;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import io.tlswatch.tlsserver.proxy.ProxyMeters;
import io.tlswatch.tlsserver.proxy.ProxyProtocol;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.tlsserver.limits.InFlightRequests;
import io.tlswatch.http.ServiceMeters;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.contract.lifecycle.PartialStart;
import io.tlswatch.contract.publish.EventPublisher;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.classify.ProviderFailureClassifier;
import io.tlswatch.tlsserver.tls.KeyMaterialLoader;
import io.tlswatch.tlsserver.tls.ServerSslContextFactory;
import io.tlswatch.tlsserver.tls.ServerTlsContext;
import io.tlswatch.tlsserver.tls.TlsPolicy;
import io.tlswatch.tlsserver.tls.TlsSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.api.ApiMetrics;
import io.tlswatch.validator.api.LicenseApiHandler;
import io.tlswatch.validator.api.LicenseService;
import io.tlswatch.validator.api.RefusalLog;
import io.tlswatch.validator.api.ValidateRequestReader;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.license.LicenseRegistry;
import io.tlswatch.validator.license.MachineCounter;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The validator: wires the parts, binds the TLS port once the license registry has caught up, and shuts
 * down in order (stop accepting, let in-flight requests finish within a bound, close connections, flush
 * events). {@link #start} returns a running, ready server or fails with the reason.
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

    private final ValidatorConfig config;
    private final PrometheusMeterRegistry meters;
    private final AdminServer admin;
    private final LicenseRegistry registry;
    private final EventPublisher publisher;
    private final KafkaClientMetrics producerMetrics;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventExecutorGroup api;
    private final Channel listener;
    private final ChannelGroup connections;
    private final InFlightRequests inFlight;
    private final CertificateManager certificates;
    private final SigningKeys keys;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Validator(ValidatorConfig config, PrometheusMeterRegistry meters, AdminServer admin,
                      LicenseRegistry registry, EventPublisher publisher, KafkaClientMetrics producerMetrics,
                      EventLoopGroup boss, EventLoopGroup workers, EventExecutorGroup api,
                      Channel listener, ChannelGroup connections, InFlightRequests inFlight,
                      CertificateManager certificates, SigningKeys keys) {
        this.config = config;
        this.meters = meters;
        this.admin = admin;
        this.registry = registry;
        this.publisher = publisher;
        this.producerMetrics = producerMetrics;
        this.boss = boss;
        this.workers = workers;
        this.api = api;
        this.listener = listener;
        this.connections = connections;
        this.inFlight = inFlight;
        this.certificates = certificates;
        this.keys = keys;
    }

    public static Validator start(ValidatorConfig config, Clock clock) {
        return PartialStart.closingOnFailure(opened -> start(config, clock, opened));
    }

    private static Validator start(ValidatorConfig config, Clock clock, Opened opened) {
        String source = "validator@" + config.nodeName();
        CertificateSettings certificateSettings = certificateSettings(config, clock);
        CertificateLoader certificateLoader = CertificateLoader.create(certificateSettings,
                config.tls().withCertificate(certificateSettings.source()),
                new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of("http/1.1")),
                new KeyMaterialLoader(), clock);
        CertificateCandidate.Accepted initialCertificate = CertificateManager.loadInitial(certificateLoader);
        ServerTlsContext tls = initialCertificate.context();
        PrometheusMeterRegistry meters = ServiceMeters.create("validator");
        Gauge.builder("tlswatch.tls.provider", () -> 1).tag("provider", tls.provider().name().toLowerCase(Locale.ROOT))
                .description("The TLS provider in use (value always 1)").register(meters);

        try (Admin kafkaAdmin = Admin.create(config.kafka().admin())) {
            new TopicBootstrap(kafkaAdmin, config.readyTimeout()).ensure(List.of(Topics.HANDSHAKES,
                    Topics.LICENSE_CHECKS, Topics.CERTIFICATES, Topics.LICENSES));
        }
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                config.kafka().producer("validator-" + config.nodeName()), new StringSerializer(),
                new ByteArraySerializer());
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
        EventPublisher publisher = new EventPublisher(producer, config.eventBufferCapacity(), meters);
        publisher.expect(Topics.HANDSHAKES, Topics.LICENSE_CHECKS, Topics.CERTIFICATES);
        opened.add(publisher);
        opened.add(producerMetrics);
        LicenseRegistry registry = new LicenseRegistry(config.kafka(), Topics.LICENSES, meters);
        opened.add(registry);
        registry.start();
        CertificateManager certificates = new CertificateManager(certificateSettings, certificateLoader,
                initialCertificate, new CertificateTelemetry(certificateSettings.name(), source, publisher, meters, clock),
                clock);
        opened.add(certificates);
        certificates.start();

        TokenSettings tokenSettings = config.tokenSettings();
        SigningKeys keys = config.tokenKeyFile() == null
                ? SigningKeys.generate(config.tokenAlgorithm(), tokenSettings.keyRetention(), clock)
                : SigningKeys.load(config.tokenKeyFile(), config.tokenAlgorithm(), tokenSettings.keyRetention(), clock);
        if (config.tokenKeyFile() == null) {
            log.warn("No token.keyFile configured: signing with a key generated at start-up ({}); tokens will not "
                    + "verify against another replica or after a restart", keys.current().kid());
        }
        TokenIssuer issuer = new TokenIssuer(keys, tokenSettings, clock);
        Duration rotateEvery = config.tokenRotateEvery();
        DpopVerifier dpop = new DpopVerifier(config.dpopSettings(),
                new ReplayCache(ReplayCache.DEFAULT_CAPACITY, clock), clock);
        LicenseDecision decision = new LicenseDecision(registry, new MachineCounter(clock, config.machines(), meters),
                config.proofRequired());
        LicenseService service = new LicenseService(decision, dpop, issuer,
                config.publicUri(LicenseApiHandler.VALIDATE_PATH), clock, source);

        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        // Proof checks and token signing run here, off the event loops (ValidatorInitializer): one thread per core,
        // as the work is all CPU.
        EventExecutorGroup api = new DefaultEventExecutorGroup(Runtime.getRuntime().availableProcessors(),
                new DefaultThreadFactory("tlswatch-api", true));
        opened.add(() -> shutdown(boss, workers, api, Duration.ofSeconds(2)));
        new NettyEventExecutorMetrics(workers).bindTo(meters);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(meters);
        }
        ChannelGroup connections = new DefaultChannelGroup("validator-connections", GlobalEventExecutor.INSTANCE);
        InFlightRequests inFlight = new InFlightRequests();
        AtomicBoolean bound = new AtomicBoolean();
        AdminServer admin = AdminServer.start(config.adminHost(), config.adminPort(), meters, List.of(
                HealthCheck.of("licenses", registry::isCaughtUp),
                HealthCheck.of("tls-listener", bound::get)));
        opened.add(admin);

        try {
            registry.awaitCaughtUp(config.readyTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the license registry", e);
        }
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress(),
                "validator", meters, config.proxy()::awaitsHeader);
        ValidatorInitializer initializer = new ValidatorInitializer(config, certificates, connections, limiter,
                inFlight, new ClientHelloParser(),
                new HandshakeEventFactory(source, HandshakeEvent.LISTENER_VALIDATOR, tls.provider()),
                new ProviderFailureClassifier(tls.enabled())::classify,
                new HandshakeMetrics(meters, tls.provider()), events(config, publisher), new ValidateRequestReader(), service,
                keys::jwks, new ApiMetrics(meters), new RefusalLog(config.dpopSettings().iatWindow(), clock),
                Counter.builder("tlswatch.http.timeouts").description("Requests that did not arrive in time (408)")
                        .tag("listener", "validator").register(meters),
                clock, api, new ProxyProtocol(config.proxy(), limiter, new ProxyMeters(meters, "validator")));
        Channel listener;
        try {
            listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage(), e);
        }
        bound.set(true);
        // Generated keys rotate on a schedule; a key file is shared by replicas, so there the operator rotates
        // by replacing the file (a key generated here would be unknown to the other replicas).
        if (config.tokenKeyFile() == null && !rotateEvery.isZero()) {
            boss.next().scheduleAtFixedRate(keys::rotate, rotateEvery.toMillis(), rotateEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        Validator validator = new Validator(config, meters, admin, registry, publisher, producerMetrics, boss,
                workers, api, listener, connections, inFlight, certificates, keys);
        log.info("Validator ready on https://{}:{} (TLS provider {}, {} licenses), admin on port {}", config.host(),
                validator.port(), tls.provider().name().toLowerCase(Locale.ROOT), registry.size(), admin.port());
        return validator;
    }

    /** {@code events.enabled=false} exists to measure what emitting events costs; it is never the default. */
    private static EventSink events(ValidatorConfig config, EventPublisher publisher) {
        if (config.eventsEnabled()) {
            return publisher;
        }
        log.warn("events.enabled=false: no handshake or license-check events are emitted");
        return new EventSink() {
            @Override
            public <V extends io.tlswatch.contract.event.Event> boolean publish(io.tlswatch.contract.topic.Topic<String, V> topic, V event) {
                return false;
            }
        };
    }

    /** The certificate to serve: the configured one, or development certificates generated (or reused) now. */
    private static CertificateSettings certificateSettings(ValidatorConfig config, Clock clock) {
        TlsSettings settings = config.tls();
        CertificateSettings certificates = DevelopmentFallback.apply(config.certificates(), settings,
                config.devCertificateDir(), config.devCertificateNames(), clock);
        if (settings.allowInsecure()) {
            log.warn("tls.allowInsecure=true: protocols {} and suites {} are accepted even where they fall outside "
                    + "the Mozilla intermediate profile", settings.protocols(), settings.cipherSuites());
        }
        return certificates;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The TLS context new connections get now (it changes when the certificate is rotated). */
    public ServerTlsContext tls() {
        return certificates.current();
    }

    /** The certificate manager: what is served, its OCSP staple, rotation on demand. */
    public CertificateManager certificates() {
        return certificates;
    }

    public SigningKeys signingKeys() {
        return keys;
    }

    public LicenseRegistry registry() {
        return registry;
    }

    /**
     * Stops accepting, waits up to {@code server.shutdownGrace} for in-flight requests, closes every
     * connection, then flushes the events still buffered and closes Kafka clients and the admin port.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long begin = System.nanoTime();
        Duration grace = config.shutdownGrace();
        listener.close().awaitUninterruptibly(grace.toMillis());
        int unfinished;
        try {
            unfinished = inFlight.awaitIdle(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unfinished = inFlight.count();
        }
        connections.close().awaitUninterruptibly(grace.toMillis());
        shutdown(boss, workers, api, grace);
        certificates.close();
        producerMetrics.close();
        publisher.close(grace);
        registry.close();
        admin.close();
        log.info("Validator stopped in {} ms{}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                unfinished > 0 ? " (" + unfinished + " requests cut off at the grace limit)" : "");
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers, EventExecutorGroup api, Duration limit) {
        boss.shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS);
        api.shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(limit.toMillis());
        api.terminationFuture().awaitUninterruptibly(limit.toMillis());
    }
}
