package io.tlswatch.launcher.demo;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.launcher.fleet.Fleet;
import io.tlswatch.launcher.fleet.FleetLicenses;
import io.tlswatch.launcher.fleet.FleetPlan;
import io.tlswatch.launcher.fleet.FleetTargets;
import io.tlswatch.launcher.fleet.LicenseKind;
import io.tlswatch.launcher.fleet.PlannedClient;
import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.apache.kafka.clients.admin.Admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the demo runs, started in order and closed in reverse: the embedded broker and its topics, a
 * certificate chain, the validator, the collector, the demo licenses, the webhook receiver, the posture job,
 * the notifier, and the fleet.
 */
final class DemoServices implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** How many progress lines start-up prints. */
    static final int STEPS = 9;
    static final String WEBHOOK_KEY_ENV = "TLSWATCH_DEMO_WEBHOOK_KEY";

    private final Opened opened = new Opened();
    private final Path workDir;
    private final TopicSettings topics;
    private EmbeddedKafka kafka;
    private Validator validator;
    private Collector collector;
    private PostureJob streams;
    private Notifier notifier;
    private WebhookReceiver webhooks;
    private Fleet fleet;
    private List<PlannedClient> plan;
    private URI validatorUrl;

    private DemoServices(Path workDir, TopicSettings topics) {
        this.workDir = workDir;
        this.topics = topics;
    }

    /**
     * Starts everything, telling {@code progress} about each step. On a failure, what was started is closed
     * and the exception names the step.
     */
    static DemoServices start(DemoSettings settings, Path workDir, Consumer<String> progress,
                              Consumer<WebhookReceiver.ReceivedAlert> alerts) {
        DemoServices services = new DemoServices(workDir, settings.topics());
        try {
            services.startAll(settings, progress, alerts);
            return services;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    private void startAll(DemoSettings settings, Consumer<String> progress,
                          Consumer<WebhookReceiver.ReceivedAlert> alerts) {
        Clock clock = Clock.systemUTC();
        progress.accept("starting the embedded Kafka broker");
        kafka = open(EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withStartupTimeout(READY_TIMEOUT)));
        String bootstrap = kafka.bootstrapServers();
        progress.accept("creating the topics on " + bootstrap);
        try (Admin admin = Admin.create(KafkaSettings.of(bootstrap).admin())) {
            // One partition each: stream time then moves with the whole fleet's traffic, not a sixth of it.
            new TopicBootstrap(admin, READY_TIMEOUT, 1).ensure(topics.named(Topics.ALL));
        }

        progress.accept("generating the demo certificate chain");
        Path certs = workDir.resolve("certs");
        DevCertificateFiles chain = new DevCertificates(certs, DevCertificates.localHostNames(), clock).ensure();
        Path oldCa = FleetTargets.unrelatedCa(workDir.resolve("old-trust-store"), clock);
        DemoConfigs configs = new DemoConfigs(bootstrap, topics, certs);

        progress.accept("starting the validator");
        int validatorPort = freePort();
        validatorUrl = URI.create("https://127.0.0.1:" + validatorPort);
        validator = open(Validator.start(ValidatorConfig.from(ConfigSource.of(configs.validator(validatorPort,
                validatorUrl))), clock));

        progress.accept("starting the collector");
        collector = open(Collector.start(CollectorConfig.from(ConfigSource.of(configs.collector())), clock));

        plan = FleetPlan.plan(settings.fleet());
        progress.accept("issuing " + plan.size() + " demo licenses");
        Map<String, IssuedLicense> licenses;
        licenses = FleetLicenses.issue(() -> new LicenseAdmin(KafkaSettings.of(bootstrap), topics.named(Topics.LICENSES), clock,
                "tlswatch-demo"), plan, clock, FleetLicenses.PARALLELISM);
        awaitRegistry(licenses);

        String webhookKey = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        webhooks = open(WebhookReceiver.start(webhookKey, workDir.resolve("webhook.log"), clock, alerts));

        progress.accept("starting the posture job (Kafka Streams)");
        streams = open(PostureJob.start(PostureJobConfig.from(ConfigSource.of(
                configs.streams(workDir.resolve("streams-state"))))));

        progress.accept("starting the notifier (webhook to " + webhooks.url() + ")");
        notifier = open(Notifier.start(NotifierConfig.from(ConfigSource.of(configs.notifier(webhooks.url(),
                        WEBHOOK_KEY_ENV, streamsUrl()))), NotifierTopics.defaults(),
                name -> WEBHOOK_KEY_ENV.equals(name) ? webhookKey : System.getenv(name), clock));

        progress.accept("starting " + plan.size() + " simulated clients");
        Map<String, String> keys = new LinkedHashMap<>();
        licenses.forEach((name, issued) -> keys.put(name, issued.licenseKey()));
        FleetTargets targets = new FleetTargets(validatorUrl,
                URI.create("https://127.0.0.1:" + collector.httpsPort()),
                URI.create("http://127.0.0.1:" + collector.httpPort()),
                chain.caCertificate(), oldCa, workDir.resolve("installations"), true);
        fleet = open(Fleet.start(plan, keys, targets, settings.fleet().checkEvery()));
    }

    /** The validator answers from its copy of the registry: wait until it has every license as it now stands. */
    private void awaitRegistry(Map<String, IssuedLicense> licenses) {
        Map<String, LicenseRecordStatus> expected = new HashMap<>();
        for (PlannedClient client : plan) {
            expected.put(licenses.get(client.name()).license().licenseId(),
                    client.license() == LicenseKind.SUSPENDED ? LicenseRecordStatus.SUSPENDED : LicenseRecordStatus.ACTIVE);
        }
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        for (Map.Entry<String, LicenseRecordStatus> license : expected.entrySet()) {
            try {
                if (!validator.registry().awaitLicense(license.getKey(), l -> l.status() == license.getValue(),
                        Duration.between(Instant.now(), deadline))) {
                    throw new IllegalStateException("the validator did not see license " + license.getKey()
                            + " within " + READY_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the license registry", e);
            }
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        return opened.add(resource);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    Fleet fleet() {
        return fleet;
    }

    List<PlannedClient> plan() {
        return plan;
    }

    WebhookReceiver webhooks() {
        return webhooks;
    }

    /** Every endpoint a user can open or query, by name. */
    Map<String, String> endpoints() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("validator", validatorUrl + "/.well-known/jwks.json");
        e.put("validator admin", "http://127.0.0.1:" + validator.adminPort() + "/metrics");
        e.put("collector", "http://127.0.0.1:" + collector.httpPort() + "/v1/reports  https://127.0.0.1:"
                + collector.httpsPort() + "/v1/reports");
        e.put("collector admin", "http://127.0.0.1:" + collector.adminPort() + "/metrics");
        e.put("streams query", "http://127.0.0.1:" + streams.port() + "/v1/clients?posture=stuck");
        e.put("streams what-if", "http://127.0.0.1:" + streams.port() + "/v1/what-if?minVersion=TLSv1.3");
        e.put("streams admin", "http://127.0.0.1:" + streams.port() + "/metrics");
        e.put("notifier admin", "http://127.0.0.1:" + notifier.adminPort() + "/metrics");
        e.put("kafka", kafka.bootstrapServers());
        e.put("webhook log", webhooks.logFile().toString());
        return e;
    }

    URI streamsUrl() {
        return URI.create("http://127.0.0.1:" + streams.port());
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** How the demo's topics are named: the services', the view's and the licenses' alike. */
    TopicSettings topics() {
        return topics;
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        opened.close();
    }
}
