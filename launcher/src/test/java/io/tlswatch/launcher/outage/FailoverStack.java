package io.tlswatch.launcher.outage;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.EmbeddedKafkaCluster;
import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.notifier.fake.Apis;
import io.tlswatch.notifier.fake.FakeApi;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * The four services of tlswatch (validator, collector, posture job, notifier paging a stand-in PagerDuty and a
 * signed webhook) in this JVM on a three-broker cluster of their own with Kafka 4.4's default feature levels
 * (transactions v2 among them), every topic replicated three times with {@code min.insync.replicas} 2, set through
 * the services' documented {@code topics.*} keys. A second posture job with the same application id can be started
 * to take work, and fence the first's producer, mid-run.
 */
final class FailoverStack implements ServiceStack, AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(120);
    static final String ROUTING_KEY = "R0UT1NGKEY0000000000000000000001";
    static final String HMAC_KEY = "failover-hmac-key";
    private static final String ROUTING_KEY_ENV = "FAILOVER_PAGERDUTY_ROUTING_KEY";
    private static final String HMAC_KEY_ENV = "FAILOVER_WEBHOOK_HMAC_KEY";
    /** What every service is told: three replicas, and a write acknowledged (acks=all) once two have it. */
    private static final Map<String, String> REPLICATED = Map.of(TopicSettings.KEY_REPLICATION_FACTOR, "3",
            TopicSettings.KEY_MIN_INSYNC_REPLICAS, "2");

    private final Opened opened = new Opened();
    private final Path dir;
    private final DevCertificateFiles certificates;
    private final String applicationId = "failover-" + UUID.randomUUID();
    private EmbeddedKafkaCluster cluster;
    private Validator validator;
    private Collector collector;
    private PostureJob streams;
    private PostureJob secondStreams;
    private FakeApi pagerDuty;
    private FakeApi webhook;
    private Notifier notifier;

    private FailoverStack(Path dir) {
        this.dir = dir;
        this.certificates = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
    }

    /** @param eventBuffer the validator's {@code events.bufferCapacity} */
    static FailoverStack start(Path dir, int eventBuffer) {
        FailoverStack stack = new FailoverStack(dir);
        try {
            stack.startAll(eventBuffer);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(int eventBuffer) {
        cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.defaults().withDataDir(dir.resolve("kafka"))
                .withStartupTimeout(READY));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrapServers()).admin())) {
            // One partition each: fewer tasks for two posture jobs on a two-core machine, and each client's events
            // stay in order end to end. The services find them there and leave them as they are.
            new TopicBootstrap(admin, READY, 1, TopicSettings.from(REPLICATED), "test").ensure(Topics.ALL);
        }
        Map<String, String> v = ServiceSettings.validator(certificates, bootstrapServers(), eventBuffer);
        v.putAll(REPLICATED);
        validator = opened.add(Validator.start(ValidatorConfig.from(ConfigSource.of(v)), Clock.systemUTC()));

        Map<String, String> c = ServiceSettings.collector(certificates, bootstrapServers());
        c.putAll(REPLICATED);
        collector = opened.add(Collector.start(CollectorConfig.from(ConfigSource.of(c)), Clock.systemUTC()));

        streams = opened.add(startPostureJob("streams-state-1"));
        PostureJob job = streams;
        await().atMost(READY).until(() -> job.state() == KafkaStreams.State.RUNNING);

        pagerDuty = opened.add(FakeApi.start(Apis.pagerDuty(ROUTING_KEY)));
        webhook = opened.add(FakeApi.start(Apis.signedWebhook(HMAC_KEY)));
        Map<String, String> n = new HashMap<>(Map.of("targets", "oncall,hook",
                "target.oncall.kind", "pagerduty", "target.oncall.url", pagerDuty.uri("/v2/enqueue").toString(),
                "target.oncall.routingKeyEnv", ROUTING_KEY_ENV,
                "target.hook.kind", "webhook", "target.hook.url", webhook.uri("/hook").toString(),
                "target.hook.hmacKeyEnv", HMAC_KEY_ENV,
                "admin.host", "127.0.0.1", "admin.port", "0",
                "consumer.groupId", "failover-notifier-" + UUID.randomUUID()));
        n.put("kafka.bootstrap.servers", bootstrapServers());
        // Every alert paged on its own at once: cohorts hold pages for minutes, far beyond this test.
        n.put("alerts.cohort.threshold", "0");
        n.putAll(REPLICATED);
        Map<String, String> secrets = Map.of(ROUTING_KEY_ENV, ROUTING_KEY, HMAC_KEY_ENV, HMAC_KEY);
        notifier = opened.add(Notifier.start(NotifierConfig.from(ConfigSource.of(n)), NotifierTopics.defaults(),
                secrets::get, Clock.systemUTC()));
        Notifier started = notifier;
        await().atMost(READY).until(started::ready);
    }

    private PostureJob startPostureJob(String stateDir) {
        Map<String, String> s = ServiceSettings.postureJob(bootstrapServers(), applicationId, dir.resolve(stateDir));
        // Alerts as soon as a posture changes: the default hold of 10 minutes is beyond this test.
        s.put("alerts.minHold", "0s");
        s.putAll(REPLICATED);
        return PostureJob.start(PostureJobConfig.from(ConfigSource.of(s)));
    }

    /**
     * Starts a second posture job with the first's application id: the group rebalances, tasks move to it, and
     * the first's transactional producer is fenced for the tasks it gave up. Returns once both run.
     */
    PostureJob startSecondPostureJob() {
        secondStreams = opened.add(startPostureJob("streams-state-2"));
        PostureJob second = secondStreams;
        await().atMost(READY).until(() -> second.state() == KafkaStreams.State.RUNNING
                && streams.state() == KafkaStreams.State.RUNNING);
        return second;
    }

    EmbeddedKafkaCluster cluster() {
        return cluster;
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
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

    PostureJob secondStreams() {
        return secondStreams;
    }

    FakeApi pagerDuty() {
        return pagerDuty;
    }

    FakeApi webhook() {
        return webhook;
    }

    Notifier notifier() {
        return notifier;
    }

    @Override
    public void close() {
        opened.close();
        if (cluster != null) {
            cluster.close();
        }
    }
}
