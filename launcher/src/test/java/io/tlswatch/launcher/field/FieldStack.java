package io.tlswatch.launcher.field;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.tlsserver.testing.Haproxy;
import io.tlswatch.contract.testing.SkippingClock;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.notifier.fake.Apis;
import io.tlswatch.notifier.fake.FakeApi;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * All four services in this JVM, each with its default settings except where it must be told where it is (hosts,
 * ports, the broker, the certificate directory, the pager's URL, the load balancer in front): the validator, the
 * collector, the posture job and the notifier paging a stand-in for PagerDuty's Events API v2. A real HAProxy in TCP
 * mode relays to the validator and the collector's two listeners with {@code send-proxy-v2}, from an address of its
 * own ({@link #PROXY_ADDRESS}), as a load balancer does in every real deployment. Validator, collector and notifier
 * run on one {@link SkippingClock}, so a test can move the whole stack's time past a hold.
 */
final class FieldStack implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(90);
    /** Where HAProxy connects to the services from: the address they see, and believe the PROXY headers of. */
    static final String PROXY_ADDRESS = "127.0.0.50";
    static final String ROUTING_KEY = "R0UT1NGKEY0000000000000000000001";
    private static final String ROUTING_KEY_ENV = "FIELD_PAGERDUTY_ROUTING_KEY";

    private final Opened opened = new Opened();
    /** How a service behind HAProxy is configured: the deployment, not a tuned default. */
    private static final Map<String, String> BEHIND_THE_BALANCER = Map.of("server.proxyProtocol", "required",
            "server.trustedProxies", PROXY_ADDRESS + "/32");

    private final SkippingClock clock = new SkippingClock();
    private URI publicUrl;
    private final DevCertificateFiles certificates;
    private final Path dir;
    private Haproxy haproxy;
    private EmbeddedKafka kafka;
    private Validator validator;
    private Collector collector;
    private PostureJob streams;
    private FakeApi pagerDuty;
    private Notifier notifier;

    private FieldStack(Path dir) {
        this.dir = dir;
        this.certificates = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(), clock).ensure();
    }

    static FieldStack start(Path dir) {
        FieldStack stack = new FieldStack(dir);
        try {
            stack.startAll(dir);
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll(Path dir) {
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withPort(FreePorts.next())
                .withDataDir(dir.resolve("kafka")).withStartupTimeout(READY));
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrapServers()).admin())) {
            // One partition each: fewer tasks for the posture job on a two-core machine.
            new TopicBootstrap(admin, READY, 1).ensure(Topics.ALL);
        }
        // The clients are told the balancer's address; DPoP proofs name it.
        int balancedValidatorPort = FreePorts.next();
        publicUrl = URI.create("https://localhost:" + balancedValidatorPort);
        Map<String, String> v = new HashMap<>(Map.of("server.host", "127.0.0.1", "https.port", "0",
                "admin.host", "127.0.0.1", "admin.port", "0", "server.publicUrl", publicUrl.toString(),
                "tls.devCertificateDir", certificates.directory().toString(),
                "kafka.bootstrap.servers", bootstrapServers()));
        v.putAll(BEHIND_THE_BALANCER);
        validator = opened.add(Validator.start(ValidatorConfig.from(ConfigSource.of(v)), clock));

        Map<String, String> c = new HashMap<>(Map.of("server.host", "127.0.0.1", "http.port", "0",
                "https.port", "0", "admin.host", "127.0.0.1", "admin.port", "0",
                "tls.devCertificateDir", certificates.directory().toString(),
                "kafka.bootstrap.servers", bootstrapServers()));
        c.putAll(BEHIND_THE_BALANCER);
        collector = opened.add(Collector.start(CollectorConfig.from(ConfigSource.of(c)), clock));

        try {
            haproxy = opened.add(Haproxy.start(dir, PROXY_ADDRESS, List.of(
                    new Haproxy.Route("validator", "127.0.0.1", validator.port(), Haproxy.Header.V2),
                    new Haproxy.Route("collector_http", "127.0.0.1", collector.httpPort(), Haproxy.Header.V2),
                    new Haproxy.Route("collector_https", "127.0.0.1", collector.httpsPort(), Haproxy.Header.V2)),
                    Map.of("validator", balancedValidatorPort)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Map<String, String> s = new HashMap<>(Map.of("kafka.bootstrap.servers", bootstrapServers(),
                "streams.applicationId", "field-" + UUID.randomUUID(),
                "streams.stateDir", dir.resolve("streams-state").toString(),
                "admin.host", "127.0.0.1", "admin.port", "0", "admin.advertisedHost", "127.0.0.1",
                // The machine, not the posture rules: one thread and one replica on a one-broker, two-core box.
                "kafka.num.stream.threads", "1", "kafka.replication.factor", "1"));
        streams = opened.add(PostureJob.start(PostureJobConfig.from(ConfigSource.of(s))));
        PostureJob job = streams;
        await().atMost(READY).until(() -> job.state() == KafkaStreams.State.RUNNING);

        pagerDuty = opened.add(FakeApi.start(Apis.pagerDuty(ROUTING_KEY)));
        Map<String, String> n = new HashMap<>(Map.of("targets", "oncall", "target.oncall.kind", "pagerduty",
                "target.oncall.url", pagerDuty.uri("/v2/enqueue").toString(),
                "target.oncall.routingKeyEnv", ROUTING_KEY_ENV,
                "admin.host", "127.0.0.1", "admin.port", "0",
                "consumer.groupId", "field-notifier-" + UUID.randomUUID(),
                "kafka.bootstrap.servers", bootstrapServers()));
        notifier = opened.add(Notifier.start(NotifierConfig.from(ConfigSource.of(n)), NotifierTopics.defaults(),
                name -> ROUTING_KEY_ENV.equals(name) ? ROUTING_KEY : null, clock));
        Notifier started = notifier;
        await().atMost(READY).until(started::ready);
    }

    /** Issues a license for {@code machines} installations and waits until the validator answers for it. */
    IssuedLicense issue(String customer, int machines) {
        try (LicenseAdmin admin = new LicenseAdmin(KafkaSettings.of(bootstrapServers()), Topics.LICENSES, clock,
                "field-test")) {
            IssuedLicense issued = admin.issue(customer, "standard", List.of("reporting"), machines,
                    clock.instant().minus(Duration.ofDays(1)), null, Duration.ofDays(3));
            if (!validator.registry().awaitLicense(issued.license().licenseId(), l -> true, READY)) {
                throw new IllegalStateException("the validator did not see license " + issued.license().licenseId());
            }
            return issued;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the license registry", e);
        }
    }

    SkippingClock clock() {
        return clock;
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    DevCertificateFiles certificates() {
        return certificates;
    }

    /** What DPoP proofs name: the validator's public URL, the balancer's address the clients are told. */
    URI publicUrl() {
        return publicUrl;
    }

    /** The balancer's frontend for the validator. */
    int validatorPort() {
        return haproxy.port("validator");
    }

    /** The balancer's frontend for the collector's plain HTTP listener. */
    int collectorHttpPort() {
        return haproxy.port("collector_http");
    }

    /** The balancer's frontend for the collector's HTTPS listener. */
    int collectorHttpsPort() {
        return haproxy.port("collector_https");
    }

    Validator validator() {
        return validator;
    }

    Collector collector() {
        return collector;
    }

    URI query(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + streams.port() + pathAndQuery);
    }

    /** The dedup keys of the triggers the stand-in PagerDuty received, in order. */
    List<String> pagerTriggers() {
        List<String> keys = new ArrayList<>();
        for (FakeApi.Received request : pagerDuty.received()) {
            JsonNode event = request.json();
            if ("trigger".equals(event.path("event_action").asText())) {
                keys.add(event.path("dedup_key").asText());
            }
        }
        return keys;
    }

    @Override
    public void close() {
        opened.close();
        if (kafka != null) {
            kafka.close();
        }
    }
}
