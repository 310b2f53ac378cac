package io.tlswatch.notifier;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.http.AdminServer;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.http.ServiceMeters;
import io.tlswatch.contract.kafka.KafkaAccessDenied;
import io.tlswatch.contract.kafka.TopicStartup;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.contract.lifecycle.PartialStart;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.notifier.config.TargetConfig;
import io.tlswatch.notifier.consume.AlertConsumer;
import io.tlswatch.notifier.consume.KafkaDeadLetters;
import io.tlswatch.notifier.delivery.TargetDispatcher;
import io.tlswatch.notifier.routing.Route;
import io.tlswatch.notifier.routing.Router;
import io.tlswatch.notifier.destination.Destination;
import io.tlswatch.notifier.destination.Destinations;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The notifier: reads alerts, delivers them to every target they route to, dead-letters what a target does not
 * take. {@link #start} returns a notifier that has joined its consumer group, or fails with the reason.
 */
public final class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private final NotifierConfig config;
    private final PrometheusMeterRegistry meters;
    private final AdminServer admin;
    private final AlertConsumer consumer;
    private final Thread consumerThread;
    private final List<TargetDispatcher> dispatchers;
    private final KafkaDeadLetters deadLetters;
    private final KafkaClientMetrics consumerMetrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Notifier(NotifierConfig config, PrometheusMeterRegistry meters, AdminServer admin, AlertConsumer consumer,
                     Thread consumerThread, List<TargetDispatcher> dispatchers, KafkaDeadLetters deadLetters,
                     KafkaClientMetrics consumerMetrics) {
        this.config = config;
        this.meters = meters;
        this.admin = admin;
        this.consumer = consumer;
        this.consumerThread = consumerThread;
        this.dispatchers = dispatchers;
        this.deadLetters = deadLetters;
        this.consumerMetrics = consumerMetrics;
    }

    /**
     * @param environment where secrets named {@code ...Env} are looked up ({@code System::getenv})
     * @throws io.tlswatch.contract.config.ConfigException when a target's secret cannot be read
     * @throws IllegalStateException when Kafka or the admin port are not there within {@code startup.timeout}
     */
    public static Notifier start(NotifierConfig config, NotifierTopics topics, UnaryOperator<String> environment,
                                 Clock clock) {
        // Secrets first: a missing one is a configuration error, before anything connects.
        List<Destination> targets = config.targets().stream().map(t -> Destinations.create(t, environment, clock)).toList();
        NotifierTopics named = topics.named(config.kafka().topics());
        return PartialStart.closingOnFailure(opened -> start(config, named, targets, clock, opened));
    }

    private static Notifier start(NotifierConfig config, NotifierTopics topics, List<Destination> targets, Clock clock,
                                  Opened opened) {
        PrometheusMeterRegistry meters = ServiceMeters.create("notifier");

        TopicStartup.prepare(config.kafka(), config.readyTimeout(), List.of(topics.alerts(), topics.deadLetters()),
                List.of(topics.alerts()), List.of(topics.deadLetters()));
        KafkaProducer<String, AlertDeadLetter> producer = new KafkaProducer<>(
                config.kafka().producer("notifier-" + config.nodeName()), new StringSerializer(),
                topics.deadLetters().valueSerde().serializer());
        KafkaDeadLetters deadLetters = new KafkaDeadLetters(producer, topics.deadLetters());
        opened.add(deadLetters);

        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        List<TargetDispatcher> dispatchers = new ArrayList<>();
        List<Router.Routed<TargetDispatcher>> routes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            TargetConfig tc = config.targets().get(i);
            TargetDispatcher dispatcher = new TargetDispatcher(targets.get(i), http, config.delivery(), tc.maxAttempts(),
                    tc.ratePerMinute(), tc.queueCapacity(), deadLetters, meters, config.source(), clock,
                    ThreadLocalRandom.current());
            opened.add(dispatcher);
            dispatchers.add(dispatcher);
            routes.add(new Router.Routed<>(new Route(tc.severities(), tc.kinds()), dispatcher));
        }

        var consumerProps = config.kafka().consumer(config.groupId());
        consumerProps.putIfAbsent("client.id", "notifier-" + config.nodeName());
        KafkaConsumer<String, byte[]> kafkaConsumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                new ByteArrayDeserializer());
        KafkaClientMetrics consumerMetrics = new KafkaClientMetrics(kafkaConsumer);
        consumerMetrics.bindTo(meters);
        opened.add(consumerMetrics);
        AlertConsumer consumer = new AlertConsumer(kafkaConsumer, topics.alerts(), new Router<>(routes), deadLetters,
                meters, config.source(), clock, config.shutdownGrace(), config.cohorts());
        Thread thread = new Thread(consumer, "notifier-consumer");
        opened.add(() -> {
            consumer.stop();
            thread.join(config.shutdownGrace().toMillis());
        });
        thread.start();

        AdminServer admin = AdminServer.start(config.adminHost(), config.adminPort(), meters,
                List.of(HealthCheck.of("alerts-consumer", consumer::ready)));
        opened.add(admin);

        try {
            if (!consumer.awaitReady(config.readyTimeout())) {
                Throwable failure = consumer.failed().getNow(null);
                if (failure != null) {
                    throw KafkaAccessDenied.ofGroup(failure, config.kafka().principal()).<RuntimeException>map(d -> d)
                            .orElseGet(() -> new IllegalStateException("the alert consumer stopped: " + failure,
                                    failure));
                }
                throw new IllegalStateException("the alert consumer did not join group " + config.groupId()
                        + " on " + config.kafka().bootstrapServers() + " within " + config.readyTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while joining the consumer group", e);
        }
        Notifier notifier = new Notifier(config, meters, admin, consumer, thread, dispatchers, deadLetters,
                consumerMetrics);
        log.info("Notifier ready: reading {} as group {}, delivering to {}; admin on port {}", topics.alerts().name(),
                config.groupId(), config.targets().stream().map(t -> t.name() + " (" + t.kind().configName() + ")")
                        .collect(Collectors.joining(", ")), admin.port());
        return notifier;
    }

    public int adminPort() {
        return admin.port();
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /**
     * Completes with the cause if the notifier stopped reading alerts on its own (a fatal Kafka error such as a
     * denied authorization): the process should then exit so that it is restarted. Never completes on {@link #close}.
     */
    public java.util.concurrent.CompletableFuture<Throwable> failed() {
        return consumer.failed();
    }

    /** Whether it has joined its group and reads alerts. */
    public boolean ready() {
        return consumer.ready();
    }

    /**
     * Stops reading and commits what is finished, then stops the dispatchers: what they still hold stays
     * uncommitted and is delivered again by the next notifier of the group (pagers deduplicate on the key).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long begin = System.nanoTime();
        Duration grace = config.shutdownGrace();
        int unfinished = dispatchers.stream().mapToInt(TargetDispatcher::depth).sum();
        consumer.stop();
        try {
            consumerThread.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatchers.forEach(d -> d.close(grace));
        consumerMetrics.close();
        deadLetters.close(grace);
        admin.close();
        log.info("Notifier stopped in {} ms{}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                unfinished > 0 ? " (" + unfinished + " deliveries left for the next start)" : "");
    }
}
