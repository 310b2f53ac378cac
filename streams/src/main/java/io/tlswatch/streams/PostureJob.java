package io.tlswatch.streams;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlswatch.contract.kafka.KafkaAccessDenied;
import io.tlswatch.contract.kafka.TopicStartup;
import io.tlswatch.http.HttpListener;
import io.tlswatch.http.ServiceMeters;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.streams.config.StreamsProperties;
import io.tlswatch.streams.metrics.PostureGauges;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.query.LocalStores;
import io.tlswatch.streams.query.QueryHandlerSlot;
import io.tlswatch.streams.query.QueryServer;
import io.tlswatch.streams.query.QueryService;
import io.tlswatch.streams.query.RemoteInstances;
import io.tlswatch.streams.topology.AddressPartitions;
import io.tlswatch.streams.topology.PostureTopology;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One instance of the posture job: wires the topology, Kafka Streams, the query API and the meters, and
 * closes them again. Any number of instances with the same application id share the work.
 */
public final class PostureJob implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostureJob.class);

    private final PostureJobConfig config;
    private final KafkaStreams streams;
    private final HttpListener server;
    private final ExecutorService queryExecutor;
    private final ScheduledExecutorService scheduler;
    private final PrometheusMeterRegistry registry;
    private final KafkaStreamsMetrics streamsMetrics;

    private PostureJob(PostureJobConfig config, KafkaStreams streams, HttpListener server,
                       ExecutorService queryExecutor, ScheduledExecutorService scheduler,
                       PrometheusMeterRegistry registry, KafkaStreamsMetrics streamsMetrics) {
        this.config = config;
        this.streams = streams;
        this.server = server;
        this.queryExecutor = queryExecutor;
        this.scheduler = scheduler;
        this.registry = registry;
        this.streamsMetrics = streamsMetrics;
    }

    /** Starts an instance and waits (at most {@code startup.timeout}) until it is running. */
    public static PostureJob start(PostureJobConfig config) {
        TopicStartup.prepare(config.kafka(), config.readyTimeout(), config.topics().all(), config.topics().inputs(),
                config.topics().outputs());
        int addressPartitions;
        try (Admin admin = Admin.create(config.kafka().admin())) {
            addressPartitions = AddressPartitions.of(config.applicationId(), config.topics().handshakes().name())
                    .ask(admin, config.readyTimeout());
        }
        PrometheusMeterRegistry registry = ServiceMeters.create("streams");
        JobState state = new JobState();
        QueryHandlerSlot slot = new QueryHandlerSlot(config.queryMaxLimit(), registry);
        HttpListener server = QueryServer.start(config.adminHost(), config.adminPort(), slot, registry, List.of(state));
        ExecutorService queryExecutor = Executors.newFixedThreadPool(2, named("tlswatch-streams-query"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(named("tlswatch-streams-gauges"));
        KafkaStreams streams = null;
        try {
            HostInfo self = new HostInfo(config.advertisedHost(), server.port());
            streams = new KafkaStreams(PostureTopology.build(config, addressPartitions,
                    new StreamsMeters(registry, PostureTopology.meterTags()), Clock.systemUTC()),
                    StreamsProperties.of(config, config.applicationServer(server.port())));
            streams.setStateListener(state);
            streams.setUncaughtExceptionHandler(e -> {
                Optional<KafkaAccessDenied> denied = KafkaAccessDenied.ofStreams(e, config.applicationId(),
                        config.kafka().principal());
                if (denied.isPresent()) {
                    state.failed(denied.get());
                    log.error("{}; the instance shuts down", denied.get().getMessage());
                } else {
                    state.failed(e);
                    log.error("A stream thread died; the instance shuts down so that its partitions move to another",
                            e);
                }
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(registry);
            PostureGauges gauges = new PostureGauges(new LocalStores(streams), registry, config.topStuckClients(),
                    config.topOutdatedFingerprints(),
                    Clock.systemUTC());
            slot.attach(new QueryService(streams, new RemoteInstances(config.queryTimeout(), queryExecutor), self,
                    queryExecutor));
            streams.start();
            awaitRunning(state, config.readyTimeout());
            scheduler.scheduleWithFixedDelay(gauges::refresh, 0, config.metricsRefresh().toMillis(),
                    TimeUnit.MILLISECONDS);
            log.info("Posture job {} running; query API on {}", config.applicationId(), self);
            return new PostureJob(config, streams, server, queryExecutor, scheduler, registry, streamsMetrics);
        } catch (RuntimeException e) {
            if (streams != null) {
                streams.close(config.shutdownTimeout());
            }
            server.close();
            queryExecutor.shutdownNow();
            scheduler.shutdownNow();
            registry.close();
            throw e;
        }
    }

    private static void awaitRunning(JobState state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (state) {
            while (state.state() != KafkaStreams.State.RUNNING) {
                KafkaStreams.State now = state.state();
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.PENDING_SHUTDOWN
                        || now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.PENDING_ERROR) {
                    Throwable failure = state.failure();
                    if (failure instanceof KafkaAccessDenied denied) {
                        throw denied;
                    }
                    throw new IllegalStateException("Kafka Streams stopped while starting (" + now + ")", failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("Kafka Streams not running after " + timeout + " (state "
                            + now + "); is Kafka at the configured kafka.bootstrap.servers?");
                }
                try {
                    state.wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting", e);
                }
            }
        }
    }

    public int port() {
        return server.port();
    }

    /** How many active tasks this instance runs now (its share of the partitions). */
    public int activeTasks() {
        return streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        Duration limit = config.shutdownTimeout();
        scheduler.shutdownNow();
        boolean closed = streams.close(limit);
        if (!closed) {
            log.warn("Kafka Streams did not close within {}", limit);
        }
        server.close(Duration.ofSeconds(5));
        queryExecutor.shutdownNow();
        streamsMetrics.close();
        registry.close();
        log.info("Posture job {} stopped", config.applicationId());
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
