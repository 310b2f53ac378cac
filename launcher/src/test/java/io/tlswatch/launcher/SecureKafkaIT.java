package io.tlswatch.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.lifecycle.Opened;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.devkafka.Security;
import io.tlswatch.launcher.demo.DemoConfigs;
import io.tlswatch.launcher.fleet.Fleet;
import io.tlswatch.launcher.fleet.FleetLicenses;
import io.tlswatch.launcher.fleet.FleetMember;
import io.tlswatch.launcher.fleet.FleetOptions;
import io.tlswatch.launcher.fleet.FleetPlan;
import io.tlswatch.launcher.fleet.FleetTargets;
import io.tlswatch.launcher.fleet.PlannedClient;
import io.tlswatch.launcher.fleet.Stack;
import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18's "Done when": the four services on a broker with SASL_SSL (SCRAM-SHA-512) and ACLs, each as its own
 * principal with {@code kafka.topics.create=never}, granted exactly the ACLs docs/kafka.md lists (read from the
 * document), after an admin created the topics with {@code tlswatch topics create}. The demo's flow runs end to end;
 * and a service missing one documented ACL refuses to start, naming it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureKafkaIT {

    private static final String PREFIX = "acme.";
    private static final Duration READY = Duration.ofSeconds(60);
    private static final String WEBHOOK_KEY_ENV = "SECURE_IT_WEBHOOK_KEY";
    private static final String WEBHOOK_KEY = "secure-it-webhook-key";
    private static final TopicSettings PREFIXED = TopicSettings.from(Map.of(TopicSettings.KEY_PREFIX, PREFIX));
    private static final List<String> PRINCIPALS = List.of("validator", "collector", "streams", "notifier", "operator");

    private EmbeddedKafka kafka;
    private Path dir;
    private DevCertificateFiles certificates;

    @BeforeAll
    void startTheSecuredBrokerCreateTheTopicsAsAdminAndGrantTheDocumentedAcls(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Security security = Security.scram("admin");
        for (String principal : PRINCIPALS) {
            security = security.withUser(principal);
        }
        kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withStartupTimeout(READY).withSecurity(security));
        certificates = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(), Clock.systemUTC())
                .ensure();

        Path adminConfig = dir.resolve("admin.properties");
        Map<String, String> admin = new LinkedHashMap<>(kafka.clientSettings("admin"));
        admin.put("topics.prefix", PREFIX);
        Files.writeString(adminConfig, admin.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int created = new CommandLine(new Tlswatch()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("topics", "create", "--bootstrap-servers", kafka.bootstrapServers(),
                        "--config", adminConfig.toString());
        assertThat(created).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains("13 topics: 13 created, 0 already there, 0 problems");

        List<AclBinding> documented = DocumentedAcls.read(Path.of("..", "docs", "kafka.md")).bindings(PREFIX, true, false);
        try (Admin client = adminClient()) {
            client.createAcls(documented).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    void stopTheBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void theFourServicesRunTheDemoFlowEachAsItsOwnPrincipalWithTheDocumentedAclsOnly() throws Exception {
        // given a webhook that records the alerts it gets
        Queue<JsonNode> alerts = new ConcurrentLinkedQueue<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            alerts.add(Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        try (Opened services = new Opened()) {
            services.add(() -> webhook.stop(0));

            // when the four services start, each as its own principal with kafka.topics.create=never
            int validatorPort = FreePorts.next();
            URI validatorUrl = URI.create("https://127.0.0.1:" + validatorPort);
            Map<String, String> v = serviceConfig("validator");
            v.put("https.port", String.valueOf(validatorPort));
            v.put("server.publicUrl", validatorUrl.toString());
            v.put("ocsp.enabled", "false");
            Validator validator = services.add(Validator.start(ValidatorConfig.from(ConfigSource.of(v)),
                    Clock.systemUTC()));
            Map<String, String> c = serviceConfig("collector");
            c.put("http.port", "0");
            c.put("https.port", "0");
            Collector collector = services.add(Collector.start(CollectorConfig.from(ConfigSource.of(c)),
                    Clock.systemUTC()));
            PostureJob streams = services.add(PostureJob.start(PostureJobConfig.from(ConfigSource.of(
                    streamsConfig()))));
            Map<String, String> n = serviceConfig("notifier");
            n.put("targets", "hook");
            n.put("target.hook.kind", "webhook");
            n.put("target.hook.url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts");
            n.put("target.hook.hmacKeyEnv", WEBHOOK_KEY_ENV);
            n.put("delivery.initialBackoff", "500ms");
            n.put("alerts.cohort.window", "5s");
            n.put("alerts.cohort.queryBaseUrl", "http://127.0.0.1:" + streams.port());
            services.add(Notifier.start(NotifierConfig.from(ConfigSource.of(n)), NotifierTopics.defaults(),
                    name -> WEBHOOK_KEY_ENV.equals(name) ? WEBHOOK_KEY : null, Clock.systemUTC()));

            // and the operator issues a license per installation (User:operator, the documented ACL), and a modern
            // and an outdated installation check them and report their failures, as in the demo
            List<PlannedClient> plan = FleetPlan.plan(fleetOptions());
            Map<String, IssuedLicense> licenses = FleetLicenses.issue(() -> new LicenseAdmin(
                    settings("operator"), PREFIXED.named(Topics.LICENSES), Clock.systemUTC(), "secure-it"),
                    plan, Clock.systemUTC(), 2);
            for (IssuedLicense issued : licenses.values()) {
                assertThat(validator.registry().awaitLicense(issued.license().licenseId(), l -> true, READY))
                        .as("the validator has license %s", issued.license().licenseId()).isTrue();
            }
            Map<String, String> keys = new LinkedHashMap<>();
            licenses.forEach((name, issued) -> keys.put(name, issued.licenseKey()));
            Fleet fleet = services.add(Fleet.start(plan, keys, new FleetTargets(validatorUrl,
                    URI.create("https://127.0.0.1:" + collector.httpsPort()),
                    URI.create("http://127.0.0.1:" + collector.httpPort()), certificates.caCertificate(),
                    FleetTargets.unrelatedCa(dir.resolve("old-ca"), Clock.systemUTC()), dir.resolve("installations"),
                    true), Duration.ofSeconds(2)));
            String modern = member(fleet, Stack.MODERN).clientId();
            String outdated = member(fleet, Stack.LEGACY_TLS10).clientId();

            // then the validator validates the modern installation's license
            await().atMost(READY).until(() -> "VALID".equals(member(fleet, Stack.MODERN).licenseState()));
            // and the collector accepted the outdated one's report, and the posture job wrote both rows: the modern
            // one healthy, the outdated one flagged with its report counted
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(READY).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, JsonNode> rows = rows(http, streams.port());
                assertThat(rows).containsKeys(modern, outdated);
                assertThat(rows.get(modern).path("posture").asText()).isEqualTo("healthy");
                assertThat(rows.get(outdated).path("posture").asText()).isIn(Stack.LEGACY_TLS10.expectation().postures());
                assertThat(sum(rows.get(outdated).path("reportsByErrorClass"))).isPositive();
            });
            // and its alert reached the notifier's webhook
            await().atMost(READY).untilAsserted(() -> assertThat(alerts).anySatisfy(alert -> {
                assertThat(alert.path("dedupKey").asText()).isEqualTo("tls-outdated:" + outdated);
                assertThat(alert.path("status").asText()).isEqualToIgnoringCase("firing");
            }));
        }
    }

    @Test
    void theCollectorWithoutTheDocumentedWriteOnClientReportsRefusesToStartNamingTheAcl() throws Exception {
        // given the collector's documented WRITE on the client reports topic revoked
        AclBinding write = new AclBinding(new ResourcePattern(ResourceType.TOPIC,
                PREFIX + Topics.CLIENT_REPORTS.name(), PatternType.LITERAL),
                new AccessControlEntry("User:collector", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        assertThat(DocumentedAcls.read(Path.of("..", "docs", "kafka.md")).bindings(PREFIX, true, false))
                .contains(write);
        try (Admin admin = adminClient()) {
            admin.deleteAcls(List.of(write.toFilter())).all().get(30, TimeUnit.SECONDS);
        }
        try {
            Map<String, String> c = serviceConfig("collector");
            c.put("http.port", "0");
            c.put("https.port", "0");

            // then it refuses to start, and says which ACL to grant to whom
            assertThatThrownBy(() -> Collector.start(CollectorConfig.from(ConfigSource.of(c)), Clock.systemUTC())
                    .close())
                    .hasMessageContaining("grant ALLOW WRITE on TOPIC " + PREFIX + Topics.CLIENT_REPORTS.name()
                            + " to User:collector");
        } finally {
            try (Admin admin = adminClient()) {
                admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theNotifierWithoutTheDocumentedReadOnItsGroupRefusesToStartNamingTheAcl() throws Exception {
        // given the notifier's documented READ on its consumer group revoked
        AclBinding read = new AclBinding(new ResourcePattern(ResourceType.GROUP, "tlswatch-notifier",
                PatternType.LITERAL),
                new AccessControlEntry("User:notifier", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertThat(DocumentedAcls.read(Path.of("..", "docs", "kafka.md")).bindings(PREFIX, true, false))
                .contains(read);
        try (Admin admin = adminClient()) {
            admin.deleteAcls(List.of(read.toFilter())).all().get(30, TimeUnit.SECONDS);
        }
        try {
            Map<String, String> n = serviceConfig("notifier");
            n.put("targets", "hook");
            n.put("target.hook.kind", "webhook");
            n.put("target.hook.url", "http://127.0.0.1:9/alerts");
            n.put("target.hook.hmacKeyEnv", WEBHOOK_KEY_ENV);

            // then it refuses to start, and says which ACL to grant to whom
            assertThatThrownBy(() -> Notifier.start(NotifierConfig.from(ConfigSource.of(n)), NotifierTopics.defaults(),
                    name -> WEBHOOK_KEY_ENV.equals(name) ? WEBHOOK_KEY : null, Clock.systemUTC()).close())
                    .hasMessageContaining("grant ALLOW READ on GROUP tlswatch-notifier to User:notifier");
        } finally {
            try (Admin admin = adminClient()) {
                admin.createAcls(List.of(read)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void thePostureJobWithoutTheDocumentedReadOnItsGroupRefusesToStartNamingTheAcl() throws Exception {
        // given the streams job's documented READ on its consumer group (its application id) revoked
        AclBinding read = new AclBinding(new ResourcePattern(ResourceType.GROUP, "tlswatch-streams",
                PatternType.LITERAL),
                new AccessControlEntry("User:streams", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertThat(DocumentedAcls.read(Path.of("..", "docs", "kafka.md")).bindings(PREFIX, true, false))
                .contains(read);
        try (Admin admin = adminClient()) {
            admin.deleteAcls(List.of(read.toFilter())).all().get(30, TimeUnit.SECONDS);
        }
        try {
            Map<String, String> s = streamsConfig();
            s.put("streams.stateDir", dir.resolve("streams-state-denied").toString());

            // then it refuses to start (a stream thread dies of it), and says which ACL to grant to whom
            assertThatThrownBy(() -> PostureJob.start(PostureJobConfig.from(ConfigSource.of(s))).close())
                    .hasMessageContaining("grant ALLOW READ, DESCRIBE on GROUP tlswatch-streams to User:streams");
        } finally {
            try (Admin admin = adminClient()) {
                admin.createAcls(List.of(read)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theFilesOfTlswatchKafkaSecureHoldSettingsEachPrincipalAuthenticatesWith() throws Exception {
        // when the files are written as `tlswatch kafka --secure` writes them
        List<Path> files = KafkaClientFiles.write(kafka::clientSettings, dir.resolve("clients"));

        // then there is one per principal, for the owner's eyes only
        assertThat(files).extracting(f -> f.getFileName().toString()).containsExactly("admin.properties",
                "validator.properties", "collector.properties", "streams.properties", "notifier.properties");
        assertThat(Files.getPosixFilePermissions(files.get(1))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        // and a service reading its file as its --config authenticates as its principal and sees its topics
        Map<String, String> validator = ConfigSource.load(files.get(1), Map.of(), Set.of(),
                List.of(KafkaSettings.PREFIX)).all();
        assertThat(validator).containsEntry(TopicSettings.KEY_CREATE, "never");
        try (Admin admin = Admin.create(KafkaSettings.fromPrefixed(validator, null).admin())) {
            assertThat(admin.describeTopics(List.of(PREFIX + Topics.LICENSES.name())).allTopicNames()
                    .get(30, TimeUnit.SECONDS)).containsKey(PREFIX + Topics.LICENSES.name());
        }
    }

    private static FleetOptions fleetOptions() {
        Map<Stack, Integer> mix = new EnumMap<>(Stack.class);
        mix.put(Stack.MODERN, 1);
        mix.put(Stack.LEGACY_TLS10, 1);
        return new FleetOptions(2, 7, mix, 0, 0, 0, Duration.ZERO, Duration.ofSeconds(2));
    }

    private static FleetMember member(Fleet fleet, Stack stack) {
        return fleet.members().stream().filter(m -> m.stack() == stack).findFirst().orElseThrow();
    }

    /** A service's settings: its principal's Kafka settings, the prefix, never, and loopback ports. */
    private Map<String, String> serviceConfig(String principal) {
        Map<String, String> config = new HashMap<>(kafka.clientSettings(principal));
        config.put("kafka.topics.create", "never");
        config.put("topics.prefix", PREFIX);
        config.put("server.host", "127.0.0.1");
        config.put("admin.host", "127.0.0.1");
        config.put("admin.port", "0");
        config.put("node.name", "secure-it");
        config.put("tls.devCertificateDir", certificates.directory().toString());
        config.put("startup.timeout", "60s");
        return config;
    }

    /** The posture settings `tlswatch demo` runs with (DemoConfigs), on one stream thread. */
    private Map<String, String> streamsConfig() {
        Map<String, String> s = new HashMap<>(kafka.clientSettings("streams"));
        s.put("kafka.topics.create", "never");
        s.put("topics.prefix", PREFIX);
        s.put("streams.stateDir", dir.resolve("streams-state").toString());
        s.put("admin.host", "127.0.0.1");
        s.put("admin.port", "0");
        s.put("admin.advertisedHost", "127.0.0.1");
        s.put("node.name", "secure-it");
        s.put("kafka.num.stream.threads", "1");
        s.put("kafka.commit.interval.ms", "100");
        s.putAll(DemoConfigs.POSTURE_SETTINGS);
        return s;
    }

    private KafkaSettings settings(String principal) {
        Map<String, String> config = new HashMap<>(kafka.clientSettings(principal));
        config.put("topics.prefix", PREFIX);
        return KafkaSettings.fromPrefixed(config, null);
    }

    private Admin adminClient() {
        return Admin.create(settings("admin").admin());
    }

    private static Map<String, JsonNode> rows(HttpClient http, int port) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/clients?limit=1000")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Map<String, JsonNode> rows = new HashMap<>();
        if (response.statusCode() == 200) {
            Json.reader().readTree(response.body()).path("clients")
                    .forEach(row -> rows.put(row.path("clientId").asText(), row));
        }
        return rows;
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode count : counts) {
            sum += count.asLong();
        }
        return sum;
    }
}
