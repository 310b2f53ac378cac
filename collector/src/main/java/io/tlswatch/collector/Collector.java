package io.tlswatch.collector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
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
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.collector.dedup.DedupWindow;
import io.tlswatch.collector.http.CollectorMetrics;
import io.tlswatch.collector.http.ReportApi;
import io.tlswatch.collector.ingest.NativeReportDecoder;
import io.tlswatch.collector.ingest.NelReportDecoder;
import io.tlswatch.collector.ingest.ReportSignatureVerifier;
import io.tlswatch.collector.limit.RateLimits;
import io.tlswatch.collector.limit.TokenBuckets;
import io.tlswatch.collector.publish.AcknowledgedSender;
import io.tlswatch.collector.publish.ReportWriter;
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
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.classify.ProviderFailureClassifier;
import io.tlswatch.tlsserver.tls.KeyMaterialLoader;
import io.tlswatch.tlsserver.tls.ServerSslContextFactory;
import io.tlswatch.tlsserver.tls.ServerTlsContext;
import io.tlswatch.tlsserver.tls.TlsPolicy;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The collector: wires the parts, binds plain HTTP and HTTPS once Kafka answers, and shuts down in order (stop
 * accepting, let requests waiting for Kafka finish within a bound, close connections, close the producers).
 * {@link #start} returns a running, ready collector or fails with the reason.
 */
public final class Collector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    private final CollectorConfig config;
    private final PrometheusMeterRegistry meters;
    private final AdminServer admin;
    private final KafkaProducer<String, byte[]> reportProducer;
    private final AcknowledgedSender sender;
    private final EventPublisher handshakePublisher;
    private final List<AutoCloseable> clientMetrics;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel http;
    private final Channel https;
    private final ChannelGroup connections;
    private final InFlightRequests inFlight;
    private final CertificateManager certificates;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Collector(CollectorConfig config, PrometheusMeterRegistry meters, AdminServer admin,
                      KafkaProducer<String, byte[]> reportProducer, AcknowledgedSender sender,
                      EventPublisher handshakePublisher, List<AutoCloseable> clientMetrics, EventLoopGroup boss,
                      EventLoopGroup workers, Channel http, Channel https, ChannelGroup connections,
                      InFlightRequests inFlight, CertificateManager certificates) {
        this.config = config;
        this.meters = meters;
        this.admin = admin;
        this.reportProducer = reportProducer;
        this.sender = sender;
        this.handshakePublisher = handshakePublisher;
        this.clientMetrics = clientMetrics;
        this.boss = boss;
        this.workers = workers;
        this.http = http;
        this.https = https;
        this.connections = connections;
        this.inFlight = inFlight;
        this.certificates = certificates;
    }

    public static Collector start(CollectorConfig config, Clock clock) {
        return PartialStart.closingOnFailure(opened -> start(config, clock, opened));
    }

    private static Collector start(CollectorConfig config, Clock clock, Opened opened) {
        String source = "collector@" + config.nodeName();
        CertificateSettings certificateSettings = null;
        CertificateLoader certificateLoader = null;
        CertificateCandidate.Accepted initialCertificate = null;
        if (config.httpsEnabled()) {
            // The broad profile is insecure on purpose: this listener exists for the clients whose TLS stacks are
            // too old for the license server (TLS 1.0, CBC suites), and what they send here are error reports
            // that carry no secrets (docs/collector.md).
            certificateSettings = DevelopmentFallback.apply(config.certificates(), config.tls(),
                    config.devCertificateDir(), config.devCertificateNames(), clock);
            certificateLoader = CertificateLoader.create(certificateSettings,
                    config.tls().withCertificate(certificateSettings.source()),
                    new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of("http/1.1")),
                    new KeyMaterialLoader(), clock);
            initialCertificate = CertificateManager.loadInitial(certificateLoader);
        }
        ServerTlsContext tls = initialCertificate == null ? null : initialCertificate.context();
        PrometheusMeterRegistry meters = ServiceMeters.create("collector");
        if (tls != null) {
            Gauge.builder("tlswatch.tls.provider", () -> 1).tag("provider", tls.provider().name().toLowerCase(Locale.ROOT))
                    .description("The TLS provider in use (value always 1)").register(meters);
        }

        try (Admin kafkaAdmin = Admin.create(config.kafka().admin())) {
            new TopicBootstrap(kafkaAdmin, config.readyTimeout()).ensure(List.of(Topics.CLIENT_REPORTS,
                    Topics.HANDSHAKES, Topics.CERTIFICATES));
        }
        Map<String, Object> producerConfig = config.kafka().producer("collector-" + config.nodeName());
        // The batching delay is short because every request waits for its acknowledgement. Batches are large
        // because an idempotent producer keeps at most 5 requests in flight per broker: with Kafka's 16 KiB
        // default, full batches queued behind them and the ack latency doubled (measured, docs/benchmarks.md).
        producerConfig.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.ackTimeout().toMillis());
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        KafkaProducer<String, byte[]> reportProducer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer());
        opened.add(reportProducer);
        KafkaClientMetrics reportProducerMetrics = new KafkaClientMetrics(reportProducer);
        reportProducerMetrics.bindTo(meters);
        opened.add(reportProducerMetrics);
        // Metadata fetched now, so that the first reports do not wait for it (and start-up fails if it cannot).
        reportProducer.partitionsFor(Topics.CLIENT_REPORTS.name());
        AcknowledgedSender sender = new AcknowledgedSender(reportProducer, Topics.CLIENT_REPORTS,
                config.maxInFlight(), meters, System::nanoTime);
        opened.add(() -> sender.close(Duration.ofSeconds(2)));

        KafkaProducer<String, byte[]> handshakeProducer = new KafkaProducer<>(
                config.kafka().producer("collector-handshakes-" + config.nodeName()), new StringSerializer(),
                new ByteArraySerializer());
        KafkaClientMetrics handshakeProducerMetrics = new KafkaClientMetrics(handshakeProducer);
        handshakeProducerMetrics.bindTo(meters);
        EventPublisher handshakePublisher = new EventPublisher(handshakeProducer, config.eventBufferCapacity(), meters);
        handshakePublisher.expect(Topics.HANDSHAKES);
        opened.add(handshakePublisher);
        opened.add(handshakeProducerMetrics);
        CertificateManager certificates = null;
        if (initialCertificate != null) {
            certificates = new CertificateManager(certificateSettings, certificateLoader, initialCertificate,
                    new CertificateTelemetry(certificateSettings.name(), source, handshakePublisher, meters, clock),
                    clock);
            opened.add(certificates);
            certificates.start();
        }

        CollectorMetrics metrics = new CollectorMetrics(meters);
        RateLimits limits = new RateLimits(
                new TokenBuckets(config.perAddress().perSecond(), config.perAddress().burst(), config.rateLimitKeys()),
                new TokenBuckets(config.perClient().perSecond(), config.perClient().burst(), config.rateLimitKeys()));
        ReportApi api = new ReportApi(
                new NativeReportDecoder(config.maxBatchCount(), config.plausibility(), source),
                new NelReportDecoder(config.maxBatchCount(), config.plausibility(), source),
                new ReportSignatureVerifier(), limits,
                new ReportWriter(new DedupWindow(config.dedupWindow(), config.dedupCapacity()), limits, sender,
                        System::nanoTime),
                metrics, config.ackTimeout(), config.retryAfter(), clock, System::nanoTime);

        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        opened.add(() -> shutdown(boss, workers, Duration.ofSeconds(2)));
        ChannelGroup connections = new DefaultChannelGroup("collector-connections", GlobalEventExecutor.INSTANCE);
        InFlightRequests inFlight = new InFlightRequests();
        AtomicBoolean bound = new AtomicBoolean();
        AdminServer admin = AdminServer.start(config.adminHost(), config.adminPort(), meters, List.of(
                HealthCheck.of("listeners", bound::get),
                HealthCheck.of("kafka", sender::healthy)));
        opened.add(admin);

        ConnectionLimiter httpLimiter = limiter(config, "collector-http", meters);
        Channel http = bind(boss, workers, config.host(), config.httpPort(), new CollectorInitializer("http", config,
                null, connections, httpLimiter, inFlight, api, timeouts(meters, "collector-http"), clock,
                proxy(config, httpLimiter, "collector-http", meters)));
        opened.add(http::close);
        Channel https = null;
        if (tls != null) {
            CollectorInitializer.Tls tlsParts = new CollectorInitializer.Tls(certificates, new ClientHelloParser(),
                    new HandshakeEventFactory(source, HandshakeEvent.LISTENER_COLLECTOR, tls.provider()),
                    new ProviderFailureClassifier(tls.enabled())::classify,
                    new HandshakeMetrics(meters, tls.provider()), handshakePublisher);
            ConnectionLimiter httpsLimiter = limiter(config, "collector-tls", meters);
            https = bind(boss, workers, config.host(), config.httpsPort(), new CollectorInitializer("https", config,
                    tlsParts, connections, httpsLimiter, inFlight, api, timeouts(meters, "collector-tls"), clock,
                    proxy(config, httpsLimiter, "collector-tls", meters)));
        }
        bound.set(true);
        Collector collector = new Collector(config, meters, admin, reportProducer, sender, handshakePublisher,
                List.of(reportProducerMetrics, handshakeProducerMetrics), boss, workers, http, https, connections,
                inFlight, certificates);
        log.info("Collector ready on http://{}:{}{}, admin on port {}", config.host(), collector.httpPort(),
                https == null ? " (HTTPS off)" : " and https://" + config.host() + ":" + collector.httpsPort()
                        + " (TLS provider " + tls.provider().name().toLowerCase(Locale.ROOT) + ")", admin.port());
        return collector;
    }

    /** Per listener; connections from trusted proxies are counted per address once their PROXY header is read. */
    private static ConnectionLimiter limiter(CollectorConfig config, String listener, PrometheusMeterRegistry meters) {
        return new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress(), listener, meters,
                config.proxy()::awaitsHeader);
    }

    private static ProxyProtocol proxy(CollectorConfig config, ConnectionLimiter limiter, String listener,
                                       PrometheusMeterRegistry meters) {
        return new ProxyProtocol(config.proxy(), limiter, new ProxyMeters(meters, listener));
    }

    private static Counter timeouts(PrometheusMeterRegistry meters, String listener) {
        return Counter.builder("tlswatch.http.timeouts").description("Requests that did not arrive in time (408)")
                .tag("listener", listener).register(meters);
    }

    private static Channel bind(EventLoopGroup boss, EventLoopGroup workers, String host, int port,
                                CollectorInitializer initializer) {
        try {
            return new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(host, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int httpPort() {
        return ((InetSocketAddress) http.localAddress()).getPort();
    }

    /** The HTTPS port, or -1 when HTTPS is off. */
    public int httpsPort() {
        return https == null ? -1 : ((InetSocketAddress) https.localAddress()).getPort();
    }

    public int adminPort() {
        return admin.port();
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The HTTPS listener's TLS context now (it changes when the certificate rotates), or null when HTTPS is off. */
    public ServerTlsContext tls() {
        return certificates == null ? null : certificates.current();
    }

    /** The HTTPS listener's certificate manager, or null when HTTPS is off. */
    public CertificateManager certificates() {
        return certificates;
    }

    /**
     * Stops accepting, waits up to {@code server.shutdownGrace} for requests waiting for Kafka, closes every
     * connection, then closes the producers (flushing what they hold) and the admin port.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long begin = System.nanoTime();
        Duration grace = config.shutdownGrace();
        http.close().awaitUninterruptibly(grace.toMillis());
        if (https != null) {
            https.close().awaitUninterruptibly(grace.toMillis());
        }
        int unfinished;
        try {
            unfinished = inFlight.awaitIdle(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unfinished = inFlight.count();
        }
        connections.close().awaitUninterruptibly(grace.toMillis());
        shutdown(boss, workers, grace);
        sender.close(grace);
        for (AutoCloseable metrics : clientMetrics) {
            try {
                metrics.close();
            } catch (Exception e) {
                log.debug("Closing Kafka client metrics: {}", e.toString());
            }
        }
        reportProducer.close(grace);
        if (certificates != null) {
            certificates.close();
        }
        handshakePublisher.close(grace);
        admin.close();
        log.info("Collector stopped in {} ms{}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                unfinished > 0 ? " (" + unfinished + " requests cut off at the grace limit)" : "");
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers, Duration limit) {
        boss.shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(limit.toMillis());
    }
}
