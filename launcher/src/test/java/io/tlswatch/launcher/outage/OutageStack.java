package io.tlswatch.launcher.outage;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The three Kafka users of tlswatch (validator, collector, posture job) in this JVM on a broker of their own, which
 * can be stopped and started again on the same port and data directory, as DemoServices wires them for the demo.
 */
final class OutageStack implements ServiceStack, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutageStack.class);
    private static final Duration READY = Duration.ofSeconds(60);
    /** The validator's server.publicUrl: what DPoP proofs name as their {@code htu}. */
    static final String VALIDATOR_PUBLIC_URL = "https://localhost:8443";

    private final EmbeddedKafka.Options brokerOptions;
    private final Opened opened = new Opened();
    private final DevCertificateFiles certificates;
    private EmbeddedKafka kafka;
    private Validator validator;
    private Collector collector;
    private PostureJob streams;

    private OutageStack(Path dir) {
        this.brokerOptions = EmbeddedKafka.Options.defaults().withPort(FreePorts.next())
                .withDataDir(dir.resolve("kafka")).withStartupTimeout(READY);
        this.certificates = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
    }

    /**
     * @param eventBuffer the validator's {@code events.bufferCapacity}
     * @param ackTimeout  the collector's {@code server.ackTimeout}: how long a report waits for Kafka before a 503
     * @param retryAfter  the collector's {@code server.retryAfter}
     */
    static OutageStack start(Path dir, int eventBuffer, Duration ackTimeout, Duration retryAfter) {
        OutageStack stack = new OutageStack(dir);
        try {
            stack.startAll(dir, eventBuffer, ackTimeout, retryAfter);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path dir, int eventBuffer, Duration ackTimeout, Duration retryAfter) {
        kafka = EmbeddedKafka.start(brokerOptions);
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrapServers()).admin())) {
            // One partition each: fewer tasks for the posture job on a two-core machine, and the order of each
            // client's events is kept end to end.
            new TopicBootstrap(admin, READY, 1).ensure(Topics.ALL);
        }
        Map<String, String> v = ServiceSettings.validator(certificates, bootstrapServers(), eventBuffer);
        validator = open(Validator.start(ValidatorConfig.from(ConfigSource.of(v)), Clock.systemUTC()));

        Map<String, String> c = ServiceSettings.collector(certificates, bootstrapServers());
        c.put("server.ackTimeout", ackTimeout.toMillis() + "ms");
        c.put("server.retryAfter", retryAfter.toSeconds() + "s");
        collector = open(Collector.start(CollectorConfig.from(ConfigSource.of(c)), Clock.systemUTC()));

        Map<String, String> s = ServiceSettings.postureJob(bootstrapServers(), "outage-" + UUID.randomUUID(),
                dir.resolve("streams-state"));
        s.put("kafka.replication.factor", "1");
        streams = open(PostureJob.start(PostureJobConfig.from(ConfigSource.of(s))));
        PostureJob job = streams;
        await().atMost(READY).until(() -> job.state() == KafkaStreams.State.RUNNING);
    }

    /** Stops the broker (the services stay up). */
    void stopBroker() {
        kafka.close();
        LOG.info("Broker on port {} stopped", brokerOptions.port());
    }

    /** Starts the broker again on the same port and data directory. */
    void startBroker() {
        kafka = EmbeddedKafka.start(brokerOptions);
        LOG.info("Broker on port {} started again in {} ms", brokerOptions.port(), kafka.startupTime().toMillis());
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + brokerOptions.port();
    }

    @Override
    public DevCertificateFiles certificates() {
        return certificates;
    }

    @Override
    public Validator validator() {
        return validator;
    }

    @Override
    public Collector collector() {
        return collector;
    }

    @Override
    public PostureJob streams() {
        return streams;
    }

    private <T extends AutoCloseable> T open(T resource) {
        return opened.add(resource);
    }

    @Override
    public void close() {
        opened.close();
        if (kafka != null) {
            kafka.close();
        }
    }
}
