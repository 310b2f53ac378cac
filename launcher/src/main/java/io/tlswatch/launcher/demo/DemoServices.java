package io.tlswatch.launcher.demo;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
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

    /**
     * Posture settings short enough that a stuck client is flagged within seconds, not minutes. The long event
     * grace lets the reports of the installation whose clock is two hours behind count (their event time is the
     * client's), and the dedup window must cover it.
     */
    static final Map<String, String> POSTURE_SETTINGS = Map.of(
            "alerts.minHold", "10s",
            "posture.evaluateEvery", "5s",
            "posture.rowRefresh", "10s",
            "events.grace", "3h",
            "events.dedupWindow", "3h",
            "attribution.window", "30m",
            "fingerprints.alertMinClients", "3",
            "metrics.refreshEvery", "5s");

    private final Opened opened = new Opened();
    private final Path workDir;
    private EmbeddedKafka kafka;
    private Validator validator;
    private Collector collector;
    private PostureJob streams;
    private Notifier notifier;
    private WebhookReceiver webhooks;
    private Fleet fleet;
    private List<PlannedClient> plan;
    private URI validatorUrl;

    private DemoServices(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * Starts everything, telling {@code progress} about each step. On a failure, what was started is closed
     * and the exception names the step.
     */
    static DemoServices start(DemoSettings settings, Path workDir, Consumer<String> progress,
                              Consumer<WebhookReceiver.ReceivedAlert> alerts) {
        DemoServices services = new DemoServices(workDir);
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
            new TopicBootstrap(admin, READY_TIMEOUT, 1).ensure(Topics.ALL);
        }

        progress.accept("generating the demo certificate chain");
        Path certs = workDir.resolve("certs");
        DevCertificateFiles chain = new DevCertificates(certs, DevCertificates.localHostNames(), clock).ensure();
        Path oldCa = FleetTargets.unrelatedCa(workDir.resolve("old-trust-store"), clock);

        progress.accept("starting the validator");
        int validatorPort = freePort();
        validatorUrl = URI.create("https://127.0.0.1:" + validatorPort);
        Map<String, String> v = new HashMap<>();
        v.put("server.host", "127.0.0.1");
        v.put("https.port", String.valueOf(validatorPort));
        v.put("server.publicUrl", validatorUrl.toString());
        v.put("admin.host", "127.0.0.1");
        v.put("admin.port", "0");
        v.put("node.name", "demo");
        v.put("tls.devCertificateDir", certs.toString());
        v.put("ocsp.enabled", "false");
        v.put("kafka.bootstrap.servers", bootstrap);
        validator = open(Validator.start(ValidatorConfig.from(ConfigSource.of(v)), clock));

        progress.accept("starting the collector");
        Map<String, String> c = new HashMap<>();
        c.put("server.host", "127.0.0.1");
        c.put("http.port", "0");
        c.put("https.port", "0");
        c.put("admin.host", "127.0.0.1");
        c.put("admin.port", "0");
        c.put("node.name", "demo");
        c.put("tls.devCertificateDir", certs.toString());
        c.put("kafka.bootstrap.servers", bootstrap);
        collector = open(Collector.start(CollectorConfig.from(ConfigSource.of(c)), clock));

        plan = FleetPlan.plan(settings.fleet());
        progress.accept("issuing " + plan.size() + " demo licenses");
        Map<String, IssuedLicense> licenses;
        licenses = FleetLicenses.issue(() -> new LicenseAdmin(KafkaSettings.of(bootstrap), Topics.LICENSES, clock,
                "tlswatch-demo"), plan, clock, FleetLicenses.PARALLELISM);
        awaitRegistry(licenses);

        String webhookKey = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        webhooks = open(WebhookReceiver.start(webhookKey, workDir.resolve("webhook.log"), clock, alerts));

        progress.accept("starting the posture job (Kafka Streams)");
        Map<String, String> s = new HashMap<>(POSTURE_SETTINGS);
        s.put("streams.applicationId", "tlswatch-demo");
        s.put("streams.stateDir", workDir.resolve("streams-state").toString());
        s.put("admin.host", "127.0.0.1");
        s.put("admin.port", "0");
        s.put("admin.advertisedHost", "127.0.0.1");
        s.put("node.name", "demo");
        s.put("kafka.bootstrap.servers", bootstrap);
        streams = open(PostureJob.start(PostureJobConfig.from(ConfigSource.of(s))));

        progress.accept("starting the notifier (webhook to " + webhooks.url() + ")");
        Map<String, String> n = new HashMap<>();
        n.put("targets", "demo");
        n.put("target.demo.kind", "webhook");
        n.put("target.demo.url", webhooks.url().toString());
        n.put("target.demo.hmacKeyEnv", WEBHOOK_KEY_ENV);
        n.put("admin.host", "127.0.0.1");
        n.put("admin.port", "0");
        n.put("node.name", "demo");
        n.put("consumer.groupId", "tlswatch-demo-notifier");
        n.put("delivery.initialBackoff", "500ms");
        // A page held 5 minutes for a possible cohort would keep the first alert out of a short demo.
        n.put("alerts.cohort.window", "10s");
        n.put("alerts.cohort.queryBaseUrl", "http://127.0.0.1:" + streams.port());
        n.put("kafka.bootstrap.servers", bootstrap);
        notifier = open(Notifier.start(NotifierConfig.from(ConfigSource.of(n)), NotifierTopics.defaults(),
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

    Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        opened.close();
    }
}
