package io.tlswatch.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.MachineDeactivation;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two validator replicas, each its own JVM started by {@code tlswatch validator} with the default settings, on one
 * broker: a license whose policy allows two machines admits exactly two of four installations spread over both
 * (docs/licenses.md, "Machines"), and a revocation through the admin API reaches both (issue 17, "Done when").
 * The short heartbeat interval belongs to the test's policy, not to the validator. The only setting the replicas
 * get beyond ports, addresses and the broker is {@code admin.api.port}, because the admin API is off by default.
 *
 * <p>The license names the policy ({@code policyId}) and has no overrides; its own {@code maxMachines} is 5, so
 * only the policy can hold it to two machines, a heartbeat interval and a lapse.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ReplicatedLicensingIT {

    /** The policy's heartbeat interval: a machine is dead 1.5 intervals after its last heartbeat. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(6);
    /** The validator's default licenses.machineCullInterval. */
    private static final Duration CULL_INTERVAL = Duration.ofSeconds(10);
    /**
     * How soon a change of slots made through one replica shows on the other: one follower fetch, well under a
     * second on an idle broker; bounded generously for a loaded build machine.
     */
    private static final Duration CONVERGENCE = Duration.ofSeconds(3);
    /** Issue 17: a revocation is refused on every replica within 5 s of being asked for. */
    private static final Duration REVOCATION = Duration.ofSeconds(5);
    private static final String LICENSE_ID = "lic-replicated";
    private static final String OPERATOR = "release-bot";
    private static final String REASON = "chargeback 2291";
    private static final PolicyTerms TERMS = new PolicyTerms(2, null, HEARTBEAT, HeartbeatLapse.DEACTIVATE, null,
            null, false, null, null);

    private final List<Process> replicas = new ArrayList<>();
    /** Each replica's admin port (metrics) by its HTTPS port. */
    private final Map<Integer, Integer> adminPorts = new ConcurrentHashMap<>();
    /** Each replica's console output by its HTTPS port. */
    private final Map<Integer, Path> outputs = new ConcurrentHashMap<>();
    /** Each replica's admin API port (HTTPS) by its HTTPS port. */
    private final Map<Integer, Integer> adminApiPorts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private HttpClient http;

    @AfterEach
    void stop() {
        heartbeats.shutdownNow();
        replicas.forEach(Process::destroyForcibly);
    }

    @Test
    void twoReplicasShareTwoMachineSlotsFreeThemOnDeactivationCullMachinesWhoseHeartbeatsStopAndRefuseARevocation(
            KafkaBroker broker, @TempDir Path dir) throws Exception {
        // given two replicas started at once, both serving the development certificate made here (by the names
        // a validator gives it by default, so that both reuse it)
        DevCertificateFiles certificates = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        int a = start("replica-a", broker, dir);
        int b = start("replica-b", broker, dir);
        awaitReady(a);
        awaitReady(b);
        http = HttpClient.newBuilder().sslContext(trusting(certificates.caCertificate()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        String licenseKey = issueLicenseWithTwoMachinePolicy(broker);
        // and an operator's write token, made now so that both replicas have read it by the time it is used
        String token = createWriteToken(broker);

        // when four installations check at once, two on each replica
        List<String> installations = List.of("inst-1", "inst-2", "inst-3", "inst-4");
        List<Integer> replicaOf = List.of(a, b, a, b);
        // Both replicas have the license and its policy once a check answers with the policy's heartbeat interval.
        await().atMost(Duration.ofSeconds(10)).until(() -> governedByPolicy(
                post(a, "/v1/licenses/validate", licenseKey, "probe-a"))
                && governedByPolicy(post(b, "/v1/licenses/validate", licenseKey, "probe-b")));
        // The probes took the two slots: free them again, through either replica.
        assertThat(post(a, "/v1/machines/deactivate", licenseKey, "probe-a").path("code").asText())
                .isEqualTo("DEACTIVATED");
        assertThat(post(b, "/v1/machines/deactivate", licenseKey, "probe-b").path("code").asText())
                .isEqualTo("DEACTIVATED");
        List<CompletableFuture<JsonNode>> checks = new ArrayList<>();
        Instant sent = Instant.now();
        for (int i = 0; i < installations.size(); i++) {
            checks.add(postAsync(replicaOf.get(i), "/v1/licenses/validate", licenseKey, installations.get(i)));
        }
        List<String> codes = new ArrayList<>();
        for (CompletableFuture<JsonNode> check : checks) {
            codes.add(check.get(30, TimeUnit.SECONDS).path("code").asText());
        }
        Duration answeredIn = Duration.between(sent, Instant.now());

        // then exactly two hold the slots, and all four were answered within the activation timeout (5 s default)
        assertThat(codes).as("codes of %s", installations).containsOnly("VALID", "TOO_MANY_MACHINES")
                .filteredOn("VALID"::equals).hasSize(2);
        assertThat(answeredIn).isLessThan(Duration.ofSeconds(5));
        // and each refusal was either seen at once (no free slot in the ledger) or lost the race on the broker
        assertThat(activations(a, "full") + activations(b, "full") + activations(a, "over_limit")
                + activations(b, "over_limit")).isEqualTo(2);
        assertThat(activations(a, "admitted") + activations(b, "admitted")).isEqualTo(2 + 2);
        assertThat(activations(a, "timeout") + activations(b, "timeout")).isZero();
        List<String> admitted = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < installations.size(); i++) {
            (codes.get(i).equals("VALID") ? admitted : refused).add(installations.get(i));
        }
        Set<String> beating = ConcurrentHashMap.newKeySet();
        beating.addAll(admitted);
        heartbeats.scheduleAtFixedRate(() -> beating.forEach(id -> heartbeat(a, licenseKey, id)),
                0, HEARTBEAT.toMillis() / 3, TimeUnit.MILLISECONDS);

        // and both replicas agree, within the convergence bound: the admitted are valid, the others refused
        await().atMost(CONVERGENCE).untilAsserted(() -> {
            for (int replica : List.of(a, b)) {
                for (String id : admitted) {
                    JsonNode answer = post(replica, "/v1/licenses/validate", licenseKey, id);
                    assertThat(answer.path("code").asText()).isEqualTo("VALID");
                    assertThat(answer.path("machine").path("status").asText()).isEqualTo("active");
                    assertThat(answer.path("machine").path("heartbeat").path("interval").asText()).isEqualTo("PT6S");
                }
                for (String id : refused) {
                    assertThat(post(replica, "/v1/licenses/validate", licenseKey, id).path("code").asText())
                            .isEqualTo("TOO_MANY_MACHINES");
                }
            }
        });

        // when one admitted installation is uninstalled (deactivated on replica a)
        String uninstalled = admitted.get(0);
        beating.remove(uninstalled);
        JsonNode deactivated = post(a, "/v1/machines/deactivate", licenseKey, uninstalled);

        // then its slot is free on both replicas: a refused one gets it through replica b, and then is valid on a
        assertThat(deactivated.path("code").asText()).isEqualTo("DEACTIVATED");
        assertThat(deactivated.path("machine").path("status").asText()).isEqualTo("deactivated");
        String newcomer = refused.get(0);
        await().atMost(CONVERGENCE).until(() ->
                "VALID".equals(post(b, "/v1/licenses/validate", licenseKey, newcomer).path("code").asText()));
        beating.add(newcomer);
        await().atMost(CONVERGENCE).until(() ->
                "VALID".equals(post(a, "/v1/licenses/validate", licenseKey, newcomer).path("code").asText()));
        assertThat(post(a, "/v1/machines/heartbeat", licenseKey, uninstalled).path("code").asText())
                .isEqualTo("NO_MACHINE");
        assertThat(post(b, "/v1/licenses/validate", licenseKey, refused.get(1)).path("code").asText())
                .isEqualTo("TOO_MANY_MACHINES");

        // when the newcomer's heartbeats stop
        beating.remove(newcomer);
        Instant stopped = Instant.now();

        // then a replica culls it within interval + grace (1.5 intervals) + one cull interval (+ a fetch)
        Duration bound = HEARTBEAT.multipliedBy(3).dividedBy(2).plus(CULL_INTERVAL).plus(CONVERGENCE);
        MachineRecord culled = awaitDeactivation(broker, newcomer, stopped, bound.plusSeconds(10));
        assertThat(culled.deactivation()).as("%s", culled).isEqualTo(MachineDeactivation.HEARTBEAT_DEAD);
        assertThat(Duration.between(stopped, Instant.now())).isLessThan(bound);
        // and its slot is free again on both, while the machine that kept beating is still valid on both
        await().atMost(CONVERGENCE).untilAsserted(() -> {
            assertThat(post(b, "/v1/machines/heartbeat", licenseKey, newcomer).path("code").asText())
                    .isEqualTo("NO_MACHINE");
            assertThat(post(a, "/v1/licenses/validate", licenseKey, admitted.get(1)).path("code").asText())
                    .isEqualTo("VALID");
            assertThat(post(b, "/v1/licenses/validate", licenseKey, admitted.get(1)).path("code").asText())
                    .isEqualTo("VALID");
        });

        // when an operator revokes the license with a reason through replica b's admin API
        await().atMost(Duration.ofSeconds(10)).until(() ->
                admin(b, token, "GET", "/v1/admin/licenses/" + LICENSE_ID, null).statusCode() == 200);
        Instant revoking = Instant.now();
        HttpResponse<String> revoked = admin(b, token, "POST", "/v1/admin/licenses/" + LICENSE_ID + "/revoke",
                "{\"reason\":\"" + REASON + "\"}");

        // then a check is refused as revoked on both replicas within 5 s of the request
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(Json.reader().readTree(revoked.body()).path("written").asBoolean()).isTrue();
        await().atMost(REVOCATION).untilAsserted(() -> {
            for (int replica : List.of(a, b)) {
                assertThat(post(replica, "/v1/licenses/validate", licenseKey, admitted.get(1)).path("code").asText())
                        .as("replica on port %d", replica).isEqualTo("REVOKED");
            }
        });
        assertThat(Duration.between(revoking, Instant.now())).isLessThan(REVOCATION);
        // and the license's row in tlswatch.licenses.v1 names the token's name as the operator, with the reason
        LicenseRecord row = awaitRow(broker, Topics.LICENSES, license -> license.licenseId().equals(LICENSE_ID)
                && license.status() == LicenseRecordStatus.REVOKED, Duration.ofSeconds(10));
        assertThat(row.operator()).isEqualTo(OPERATOR);
        assertThat(row.reason()).isEqualTo(REASON);
    }

    /** A valid answer whose machine has the policy's heartbeat interval, which the license itself does not set. */
    private static boolean governedByPolicy(JsonNode answer) {
        return "VALID".equals(answer.path("code").asText())
                && "PT6S".equals(answer.path("machine").path("heartbeat").path("interval").asText());
    }

    /** {@code tlswatch admin-tokens create --name release-bot --scope write}, in this JVM; returns the token. */
    private static String createWriteToken(KafkaBroker broker) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("admin-tokens", "create", "--name", OPERATOR, "--scope", "write", "--json",
                "--bootstrap-servers", broker.bootstrapServers());
        assertThat(exit).as(err.toString()).isZero();
        return Json.reader().readTree(out.toString()).path("token").asText();
    }

    private HttpResponse<String> admin(int port, String token, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + adminApiPorts.get(port) + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A replica's {@code tlswatch.machines.activations} count for {@code outcome}, from its /metrics. */
    private double activations(int port, String outcome) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + adminPorts.get(port) + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        String series = "tlswatch_machines_activations_total{";
        return metrics.body().lines().filter(line -> line.startsWith(series) && line.contains("outcome=\"" + outcome
                + "\"")).mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    /** Starts a replica and returns its HTTPS port; {@link #awaitReady} waits until it serves. */
    private int start(String node, KafkaBroker broker, Path dir) throws IOException {
        int port = FreePorts.next();
        int adminPort = FreePorts.next();
        int adminApiPort = FreePorts.next();
        adminPorts.put(port, adminPort);
        adminApiPorts.put(port, adminApiPort);
        Path output = dir.resolve(node + ".txt");
        outputs.put(port, output);
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx384m", "-jar", jar.toString(), "validator"))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(Map.of("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "TLSWATCH_HTTPS_PORT", String.valueOf(port), "TLSWATCH_ADMIN_PORT", String.valueOf(adminPort),
                "TLSWATCH_ADMIN_API_PORT", String.valueOf(adminApiPort),
                "TLSWATCH_SERVER_HOST", "127.0.0.1", "TLSWATCH_ADMIN_HOST", "127.0.0.1",
                "TLSWATCH_NODE_NAME", node, "TLSWATCH_TLS_DEVCERTIFICATEDIR", dir.resolve("certs").toString()));
        replicas.add(builder.start());
        return port;
    }

    private void awaitReady(int port) {
        await().atMost(Duration.ofSeconds(120)).until(() -> read(outputs.get(port))
                .contains("Validator ready on https://localhost:" + port));
    }

    private static String issueLicenseWithTwoMachinePolicy(KafkaBroker broker) throws Exception {
        try (Admin admin = Admin.create(broker.settings().admin())) {
            admin.createTopics(List.of(Topics.POLICIES.newTopic(1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        String licenseKey = "tlswatch_test_" + UUID.randomUUID();
        Instant now = Instant.now();
        PolicyRecord policy = PolicyRecord.of(now, "test", "two-machines", "Two machines, heartbeats", TERMS, null,
                null);
        LicenseRecord license = LicenseRecord.builder().time(now).source("test").licenseId(LICENSE_ID)
                .customer("Acme").plan("team").maxMachines(5).notBefore(now.minusSeconds(60))
                .notAfter(now.plus(Duration.ofDays(30))).status(LicenseRecordStatus.ACTIVE)
                .gracePeriod(Duration.ZERO).keyHash(LicenseRecord.keyHashOf(licenseKey))
                .policyId(policy.policyId()).build();
        try (KafkaProducer<String, PolicyRecord> policies = new KafkaProducer<>(broker.settings().producer("test"),
                Topics.POLICIES.keySerde().serializer(), Topics.POLICIES.valueSerde().serializer());
             KafkaProducer<String, LicenseRecord> licenses = new KafkaProducer<>(broker.settings().producer("test"),
                     Topics.LICENSES.keySerde().serializer(), Topics.LICENSES.valueSerde().serializer())) {
            policies.send(new ProducerRecord<>(Topics.POLICIES.name(), policy.key(), policy)).get(30, TimeUnit.SECONDS);
            licenses.send(new ProducerRecord<>(Topics.LICENSES.name(), license.key(), license))
                    .get(30, TimeUnit.SECONDS);
        }
        return licenseKey;
    }

    /** The first deactivation row of {@code machineId} in tlswatch.machines.v1, as every replica reads it. */
    /**
     * The first deactivation of the machine written at or after {@code since}: a newcomer that lost the activation
     * race on the broker earlier already has an OVER_LIMIT row in the topic, which is not the one looked for.
     */
    private static MachineRecord awaitDeactivation(KafkaBroker broker, String machineId, Instant since,
                                                   Duration atMost) {
        return awaitRow(broker, Topics.MACHINES, row -> row.machineId().equals(machineId) && row.deactivation() != null
                && row.deactivation() != MachineDeactivation.CLIENT && row.deactivatedAt() != null
                && !row.deactivatedAt().isBefore(since), atMost);
    }

    /** The first row of {@code topic}, read from the beginning, that is {@code wanted}. */
    private static <V> V awaitRow(KafkaBroker broker, Topic<String, V> topic, Predicate<V> wanted, Duration atMost) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(broker.settings().consumer(
                "test-" + UUID.randomUUID()), topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<V> found = new ArrayList<>();
            await().atMost(atMost).until(() -> {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && wanted.test(record.value())) {
                        found.add(record.value());
                    }
                }
                return !found.isEmpty();
            });
            return found.get(0);
        }
    }

    /** What the SDK does every third of the interval; a failed beat is the next one's problem, as in the SDK. */
    private void heartbeat(int port, String licenseKey, String clientId) {
        try {
            post(port, "/v1/machines/heartbeat", licenseKey, clientId);
        } catch (RuntimeException e) {
            System.err.println("heartbeat of " + clientId + " failed: " + e);
        }
    }

    private JsonNode post(int port, String path, String licenseKey, String clientId) {
        try {
            return postAsync(port, path, licenseKey, clientId).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(path + " failed", e);
        }
    }

    private CompletableFuture<JsonNode> postAsync(int port, String path, String licenseKey, String clientId) {
        String body = "{\"licenseKey\":\"" + licenseKey + "\",\"clientId\":\"" + clientId + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            assertThat(response.statusCode()).as("%s: %s", path, response.body()).isEqualTo(200);
            try {
                return Json.reader().readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
