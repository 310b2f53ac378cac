package io.tlswatch.tlsserver.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.kafka.TopicStartup;
import io.tlswatch.contract.publish.EventPublisher;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.http.AdminServer;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.http.ServiceMeters;
import io.tlswatch.tlsserver.certificate.CertificateCandidate;
import io.tlswatch.tlsserver.certificate.CertificateLoader;
import io.tlswatch.tlsserver.certificate.CertificateManager;
import io.tlswatch.tlsserver.certificate.CertificateSettings;
import io.tlswatch.tlsserver.certificate.CertificateTelemetry;
import io.tlswatch.tlsserver.certificate.DevelopmentFallback;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.handshake.HandshakeEventFactory;
import io.tlswatch.tlsserver.handshake.HandshakeMetrics;
import io.tlswatch.tlsserver.host.CloseOrder.Stage;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import io.tlswatch.tlsserver.limits.InFlightRequests;
import io.tlswatch.tlsserver.proxy.ProxyMeters;
import io.tlswatch.tlsserver.proxy.ProxyProtocol;
import io.tlswatch.tlsserver.classify.ProviderFailureClassifier;
import io.tlswatch.tlsserver.tls.KeyMaterialLoader;
import io.tlswatch.tlsserver.tls.ServerSslContextFactory;
import io.tlswatch.tlsserver.tls.ServerTlsContext;
import io.tlswatch.tlsserver.tls.TlsPolicy;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * What a TLS service runs on, apart from its own logic: the certificate manager and its TLS context, the meter
 * registry, the event publisher, the event loops, the admin port, the listeners bound, and one ordered close
 * with a time limit ({@link CloseOrder}: listeners, requests in flight, connections, event loops, the service's
 * own parts, certificates, events, admin port). The same order serves a start that fails half-way.
 */
public final class TlsServiceHost implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TlsServiceHost.class);
    /** How long each part may take to close when a start fails: nothing is in flight yet. */
    private static final Duration FAILED_START_LIMIT = Duration.ofSeconds(2);

    /**
     * What a service asks of its host.
     *
     * @param service          the service's name: the {@code service} tag of its meters, and its certificate's
     *                         events' {@code source} ({@code service@node})
     * @param tls              whether a certificate is loaded (the collector's HTTPS can be off)
     * @param producerClientId the Kafka client id of the event publisher's producer
     * @param topics           the topics created (or checked) at start, by their catalogue names
     * @param published        the topics the publisher writes, whose counters are registered at 0
     * @param reads            the topics the service reads, whose READ ACL is checked at start
     * @param writes           every topic the service writes (the publisher's and its own producers'), whose WRITE
     *                         ACL is checked at start
     */
    public record Spec(String service, ServerSettings settings, boolean tls, String producerClientId,
                       List<Topic<?, ?>> topics, List<Topic<?, ?>> published, List<Topic<?, ?>> reads,
                       List<Topic<?, ?>> writes) {
        public Spec {
            topics = List.copyOf(topics);
            published = List.copyOf(published);
            reads = List.copyOf(reads);
            writes = List.copyOf(writes);
        }

        /** A service that reads nothing and writes only what its publisher does. */
        public Spec(String service, ServerSettings settings, boolean tls, String producerClientId,
                    List<Topic<?, ?>> topics, List<Topic<?, ?>> published) {
            this(service, settings, tls, producerClientId, topics, published, List.of(), published);
        }
    }

    private final Spec spec;
    private final Clock clock;
    private final CloseOrder order;
    private final PrometheusMeterRegistry meters;
    private final CertificateManager certificates;
    private final EventPublisher publisher;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<EventExecutorGroup> executors = new CopyOnWriteArrayList<>();
    private final ChannelGroup connections;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicBoolean bound = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TlsServiceHost(Spec spec, Clock clock, CloseOrder order, PrometheusMeterRegistry meters,
                           CertificateManager certificates, EventPublisher publisher, EventLoopGroup boss,
                           EventLoopGroup workers) {
        this.spec = spec;
        this.clock = clock;
        this.order = order;
        this.meters = meters;
        this.certificates = certificates;
        this.publisher = publisher;
        this.boss = boss;
        this.workers = workers;
        this.connections = new DefaultChannelGroup(spec.service() + "-connections", GlobalEventExecutor.INSTANCE);
        order.add(Stage.REQUESTS, "requests in flight", this::awaitRequests);
        order.add(Stage.CONNECTIONS, "connections", limit -> connections.close().awaitUninterruptibly(limit.toMillis()));
    }

    /**
     * Opens the host, then starts the service on it; if anything fails, what was opened is closed again (in the
     * close order) and the failure thrown.
     */
    public static <T> T start(Spec spec, Clock clock, Function<TlsServiceHost, T> service) {
        CloseOrder order = new CloseOrder();
        try {
            return service.apply(open(spec, clock, order));
        } catch (RuntimeException | Error e) {
            order.closeAfter(e, FAILED_START_LIMIT);
            throw e;
        }
    }

    private static TlsServiceHost open(Spec spec, Clock clock, CloseOrder order) {
        ServerSettings settings = spec.settings();
        // The certificate first: a bad one fails the start before anything connects to Kafka.
        CertificateSettings certificateSettings = null;
        CertificateLoader loader = null;
        CertificateCandidate.Accepted initial = null;
        if (spec.tls()) {
            certificateSettings = DevelopmentFallback.apply(settings.certificates(), settings.tls(),
                    settings.devCertificateDir(), settings.devCertificateNames(), clock);
            loader = CertificateLoader.create(certificateSettings,
                    settings.tls().withCertificate(certificateSettings.source()),
                    new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of("http/1.1")),
                    new KeyMaterialLoader(), clock);
            initial = CertificateManager.loadInitial(loader);
        }
        PrometheusMeterRegistry meters = ServiceMeters.create(spec.service());
        if (initial != null) {
            ServerTlsContext tls = initial.context();
            Gauge.builder("tlswatch.tls.provider", () -> 1)
                    .tag("provider", tls.provider().name().toLowerCase(Locale.ROOT))
                    .description("The TLS provider in use (value always 1)").register(meters);
        }
        TopicSettings deployed = settings.kafka().topics();
        TopicStartup.prepare(settings.kafka(), settings.startupTimeout(), deployed.named(spec.topics()),
                deployed.named(spec.reads()), deployed.named(spec.writes()));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings.kafka().producer(spec.producerClientId()),
                new StringSerializer(), new ByteArraySerializer());
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(meters);
        EventPublisher publisher = new EventPublisher(producer, settings.eventBufferCapacity(), meters,
                settings.kafka().topics());
        publisher.expect(spec.published().toArray(Topic<?, ?>[]::new));
        order.add(Stage.EVENTS, "event publisher", publisher::close);
        order.add(Stage.EVENTS, "Kafka client metrics", limit -> producerMetrics.close());
        CertificateManager certificates = null;
        if (initial != null) {
            certificates = new CertificateManager(certificateSettings, loader, initial,
                    new CertificateTelemetry(certificateSettings.name(), spec.service() + "@" + settings.nodeName(),
                            publisher, meters, clock), clock);
            CertificateManager manager = certificates;
            order.add(Stage.CERTIFICATES, "certificate manager", limit -> manager.close());
            certificates.start();
        }
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        new NettyEventExecutorMetrics(workers).bindTo(meters);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(meters);
        }
        TlsServiceHost host = new TlsServiceHost(spec, clock, order, meters, certificates, publisher, boss, workers);
        order.add(Stage.EXECUTORS, "event loops", host::stopExecutors);
        return host;
    }

    /** An executor for work kept off the event loops, stopped with them. */
    public EventExecutorGroup executor(String threadName, int threads) {
        EventExecutorGroup executor = new DefaultEventExecutorGroup(threads, new DefaultThreadFactory(threadName, true));
        executors.add(executor);
        return executor;
    }

    /**
     * Closes one of the service's own parts after the event loops have stopped (newest first), given
     * {@code shutdown.grace}.
     */
    public void closes(String what, CloseOrder.Step part) {
        order.add(Stage.SERVICE, what, part);
    }

    /** Runs {@code task} every {@code period} on the host's accepting loop, until close. */
    public void every(Duration period, Runnable task) {
        boss.next().scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Binds the admin port with these readiness checks; it is closed last. */
    public AdminServer startAdmin(List<HealthCheck> readiness) {
        AdminServer admin = AdminServer.start(spec.settings().adminHost(), spec.settings().adminPort(), meters,
                readiness);
        order.add(Stage.ADMIN, "admin port", admin::close);
        return admin;
    }

    /** The limits, PROXY header handling and request bookkeeping of a listener whose meters are tagged {@code name}. */
    public ListenerParts listener(String name) {
        ServerSettings settings = spec.settings();
        // Connections from trusted proxies are counted per address once their PROXY header is read.
        ConnectionLimiter limiter = new ConnectionLimiter(settings.maxConnections(),
                settings.maxConnectionsPerAddress(), name, meters, settings.proxy()::awaitsHeader);
        Counter timeouts = Counter.builder("tlswatch.http.timeouts")
                .description("Requests that did not arrive in time (408)").tag("listener", name).register(meters);
        return new ListenerParts(name, settings, connections, limiter, inFlight, timeouts,
                new ProxyProtocol(settings.proxy(), limiter, new ProxyMeters(meters, name)), clock);
    }

    /**
     * What a TLS listener records of each handshake; only for a host with a certificate ({@link Spec#tls()}).
     *
     * @param listener the {@code listener} of handshake events ({@code HandshakeEvent.LISTENER_...})
     * @param sink     where handshake events go
     */
    public HandshakeParts handshakes(String listener, EventSink sink) {
        ServerTlsContext tls = certificates.current();
        return new HandshakeParts(certificates, new ClientHelloParser(),
                new HandshakeEventFactory(source(), listener, tls.provider()),
                new ProviderFailureClassifier(tls.enabled())::classify, new HandshakeMetrics(meters, tls.provider()),
                sink);
    }

    /** Binds {@code port} (0 picks a free one) on the host's event loops; returns the port bound. */
    public int bind(int port, ChannelHandler initializer) {
        String host = spec.settings().host();
        Channel listener;
        try {
            listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(host, port).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        order.add(Stage.LISTENERS, "listener on port " + port,
                limit -> listener.close().awaitUninterruptibly(limit.toMillis()));
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Marks every listener bound: the readiness check {@link #bound()} reads. */
    public void ready() {
        bound.set(true);
    }

    public boolean bound() {
        return bound.get();
    }

    /** {@code service@node}: the source of the events this instance emits. */
    public String source() {
        return spec.service() + "@" + spec.settings().nodeName();
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public EventPublisher publisher() {
        return publisher;
    }

    /** The certificate manager, or null when the service runs no TLS listener. */
    public CertificateManager certificates() {
        return certificates;
    }

    /**
     * Stops in the close order, each step within {@code shutdown.grace}: no new connection, requests in flight
     * answered (or cut off at the limit), connections closed, event loops stopped, then the service's own parts,
     * certificates, buffered events flushed and the admin port.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long begin = System.nanoTime();
        order.close(spec.settings().shutdownGrace());
        int cutOff = unfinished.get();
        String service = Character.toUpperCase(spec.service().charAt(0)) + spec.service().substring(1);
        log.info("{} stopped in {} ms{}", service, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                cutOff > 0 ? " (" + cutOff + " requests cut off at the grace limit)" : "");
    }

    private void awaitRequests(Duration limit) {
        try {
            unfinished.set(inFlight.awaitIdle(limit));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unfinished.set(inFlight.count());
        }
    }

    private void stopExecutors(Duration limit) {
        long millis = limit.toMillis();
        boss.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
        executors.forEach(executor -> executor.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS));
        workers.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS).awaitUninterruptibly(millis);
        executors.forEach(executor -> executor.terminationFuture().awaitUninterruptibly(millis));
    }
}
