package io.tlswatch.collector;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.http.AdminServer;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.tlsserver.certificate.CertificateManager;
import io.tlswatch.tlsserver.host.ServicePipeline;
import io.tlswatch.tlsserver.host.TlsServiceHost;
import io.tlswatch.tlsserver.tls.ServerTlsContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The collector: the report API on a {@link TlsServiceHost}, over plain HTTP and (unless turned off) HTTPS, bound
 * once Kafka answers. The host owns start-up and the ordered shutdown; {@link #start} returns a running, ready
 * collector or fails with the reason.
 */
public final class Collector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Collector.class);

    private final TlsServiceHost host;
    private final AdminServer admin;
    private final int httpPort;
    private final int httpsPort;

    private Collector(TlsServiceHost host, AdminServer admin, int httpPort, int httpsPort) {
        this.host = host;
        this.admin = admin;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    public static Collector start(CollectorConfig config, Clock clock) {
        // The HTTPS listener's broad profile is insecure on purpose: it exists for the clients whose TLS stacks are
        // too old for the license server (TLS 1.0, CBC suites), and what they send here are error reports that
        // carry no secrets (docs/collector.md).
        TlsServiceHost.Spec spec = new TlsServiceHost.Spec("collector", config.server(), config.httpsEnabled(),
                "collector-handshakes-" + config.server().nodeName(),
                List.of(Topics.CLIENT_REPORTS, Topics.HANDSHAKES, Topics.CERTIFICATES), List.of(Topics.HANDSHAKES),
                List.of(), List.of(Topics.CLIENT_REPORTS, Topics.HANDSHAKES, Topics.CERTIFICATES));
        return TlsServiceHost.start(spec, clock, host -> start(config, clock, host));
    }

    private static Collector start(CollectorConfig config, Clock clock, TlsServiceHost host) {
        PrometheusMeterRegistry meters = host.meters();
        AcknowledgedSender sender = sender(config, host);
        RateLimits limits = new RateLimits(
                new TokenBuckets(config.perAddress().perSecond(), config.perAddress().burst(), config.rateLimitKeys()),
                new TokenBuckets(config.perClient().perSecond(), config.perClient().burst(), config.rateLimitKeys()));
        String source = host.source();
        ReportApi api = new ReportApi(
                new NativeReportDecoder(config.maxBatchCount(), config.plausibility(), source),
                new NelReportDecoder(config.maxBatchCount(), config.plausibility(), source),
                new ReportSignatureVerifier(), limits,
                new ReportWriter(new DedupWindow(config.dedupWindow(), config.dedupCapacity()), limits, sender,
                        System::nanoTime),
                new CollectorMetrics(meters), config.ackTimeout(), config.retryAfter(), clock, System::nanoTime);
        AdminServer admin = host.startAdmin(List.of(
                HealthCheck.of("listeners", host::bound),
                HealthCheck.of("kafka", sender::healthy)));
        int httpPort = host.bind(config.httpPort(), new CollectorInitializer("http",
                new ServicePipeline(host.listener("collector-http"), null), api));
        int httpsPort = -1;
        if (config.httpsEnabled()) {
            httpsPort = host.bind(config.httpsPort(), new CollectorInitializer("https",
                    new ServicePipeline(host.listener("collector-tls"),
                            host.handshakes(HandshakeEvent.LISTENER_COLLECTOR, host.publisher())), api));
        }
        host.ready();
        String server = config.server().host();
        log.info("Collector ready on http://{}:{}{}, admin on port {}", server, httpPort, httpsPort < 0 ? " (HTTPS off)"
                : " and https://" + server + ":" + httpsPort + " (TLS provider "
                + host.certificates().current().provider().name().toLowerCase(Locale.ROOT) + ")", admin.port());
        return new Collector(host, admin, httpPort, httpsPort);
    }

    /** The reports' own producer: each report waits for its acknowledgement, unlike the events the host publishes. */
    private static AcknowledgedSender sender(CollectorConfig config, TlsServiceHost host) {
        Map<String, Object> producerConfig = config.server().kafka()
                .producer("collector-" + config.server().nodeName());
        // The batching delay is short because every request waits for its acknowledgement. Batches are large
        // because an idempotent producer keeps at most 5 requests in flight per broker: with Kafka's 16 KiB
        // default, full batches queued behind them and the ack latency doubled (measured, docs/benchmarks.md).
        producerConfig.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) config.ackTimeout().toMillis());
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new ByteArraySerializer());
        host.closes("report producer", producer::close);
        KafkaClientMetrics producerMetrics = new KafkaClientMetrics(producer);
        producerMetrics.bindTo(host.meters());
        host.closes("report producer metrics", limit -> producerMetrics.close());
        // Metadata fetched now, so that the first reports do not wait for it (and start-up fails if it cannot).
        Topic<String, ClientReportEvent> reports = config.server().kafka().topics().named(Topics.CLIENT_REPORTS);
        producer.partitionsFor(reports.name());
        AcknowledgedSender sender = new AcknowledgedSender(producer, reports, config.maxInFlight(),
                host.meters(), System::nanoTime);
        host.closes("report sender", sender::close);
        return sender;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The HTTPS port, or -1 when HTTPS is off. */
    public int httpsPort() {
        return httpsPort;
    }

    public int adminPort() {
        return admin.port();
    }

    public PrometheusMeterRegistry meters() {
        return host.meters();
    }

    /** The HTTPS listener's TLS context now (it changes when the certificate rotates), or null when HTTPS is off. */
    public ServerTlsContext tls() {
        return host.certificates() == null ? null : host.certificates().current();
    }

    /** The HTTPS listener's certificate manager, or null when HTTPS is off. */
    public CertificateManager certificates() {
        return host.certificates();
    }

    /** Stops in the host's order, within {@code shutdown.grace}: see {@link TlsServiceHost#close}. */
    @Override
    public void close() {
        host.close();
    }
}
