package io.tlswatch.launcher.field;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.license.IssuedLicense;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The field as a new user meets it: the four services with their default settings, and a fleet of installations
 * that are not our SDK (Python's {@code ssl} module with OpenSSL), each from a loopback address of its own, some of
 * them on stacks that can no longer validate. Every one of those must show as stuck or at risk, with its cause,
 * within a minute of its first evidence, while no modern installation is ever judged anything but healthy; and
 * once the default hold has passed, each outdated installation is paged exactly once.
 */
class FieldConditionsIT {

    private static final Logger LOG = LoggerFactory.getLogger(FieldConditionsIT.class);

    /** A minute from first evidence to a judgement, as the issue asks. */
    private static final Duration JUDGED_WITHIN = Duration.ofSeconds(60);
    /** The posture job's default {@code alerts.minHold}, plus its default re-evaluation period. */
    private static final Duration DEFAULT_HOLD = Duration.ofMinutes(10);
    private static final Duration DEFAULT_EVALUATE_EVERY = Duration.ofMinutes(1);
    /** The notifier's default {@code alerts.cohort.window}: how long a client's page waits for others of its cause. */
    private static final Duration DEFAULT_COHORT_WINDOW = Duration.ofMinutes(5);

    @TempDir
    static Path dir;
    private static FieldStack stack;
    private static PythonClients python;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One installation of the fleet. */
    private record Member(String clientId, String stack, String source, int reportDelaySeconds,
                          Set<String> expectedCausePrefixes) {
        boolean outdated() {
            return !expectedCausePrefixes.isEmpty();
        }
    }

    private static final List<Member> FLEET = List.of(
            new Member("modern-a", "modern", "127.0.1.1", 0, Set.of()),
            new Member("modern-b", "modern", "127.0.1.2", 0, Set.of()),
            new Member("modern-c", "modern", "127.0.1.3", 0, Set.of()),
            new Member("legacy-tls10", "tls10", "127.0.1.10", 0, Set.of("version_or_cipher_mismatch", "offers_only")),
            new Member("legacy-cbc", "cbc", "127.0.1.11", 0, Set.of("version_or_cipher_mismatch")),
            new Member("old-trust-store", "notrust", "127.0.1.12", 0, Set.of("old_trust_store")),
            new Member("clock-ahead", "clock", "127.0.1.13", 0, Set.of("clock_skew:+7200s")),
            new Member("late-reports", "tls10", "127.0.1.14", 1800, Set.of("version_or_cipher_mismatch", "offers_only")),
            // Two installations behind one NAT address: only the old one may be blamed.
            new Member("nat-modern", "modern", "127.0.1.20", 0, Set.of()),
            new Member("nat-legacy", "tls10", "127.0.1.20", 0, Set.of("version_or_cipher_mismatch", "offers_only")));

    private static final Map<String, IssuedLicense> LICENSES = new LinkedHashMap<>();

    @BeforeAll
    static void startTheStackWithItsDefaults() {
        assumeTrue(PythonClients.available(), "python3 with the cryptography package is needed for these clients");
        stack = FieldStack.start(dir);
        python = new PythonClients(dir);
        for (Member member : FLEET) {
            LICENSES.put(member.clientId(), stack.issue("customer-" + member.clientId(), 2));
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyClientThatCannotValidateIsJudgedWithItsCauseWithinAMinuteAndPagedOnceAfterTheHold() throws Exception {
        // given the fleet checking its licenses three times each
        long firstEvidence = System.nanoTime();
        runFleet(3);

        // then every event the fleet caused names the installation's own address, with the balancer as via
        Set<String> sources = FLEET.stream().map(Member::source).collect(Collectors.toSet());
        for (String topic : List.of(Topics.HANDSHAKES.name(), Topics.LICENSE_CHECKS.name(),
                Topics.CLIENT_REPORTS.name())) {
            List<JsonNode> events = events(topic);
            assertThat(events).as(topic).isNotEmpty();
            assertThat(events).as(topic).allSatisfy(event -> {
                assertThat(event.path("remoteAddress").asText()).as("%s", event).isIn(sources);
                assertThat(event.path("via").asText()).as("%s", event).isEqualTo(FieldStack.PROXY_ADDRESS);
            });
        }

        // and, within a minute of the fleet's first attempt, every outdated installation is stuck or at risk
        // (committed or pending), with its cause
        Duration left = JUDGED_WITHIN.minusNanos(System.nanoTime() - firstEvidence);
        assertThat(left).as("time left of the minute after the fleet's run").isPositive();
        await().atMost(left).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Member member : FLEET) {
                if (member.outdated()) {
                    JsonNode row = row(member.clientId());
                    assertThat(row).as("row of %s", member.clientId()).isNotNull();
                    assertThat(Set.of(judged(row))).as("posture of %s: %s", member.clientId(), row)
                            .containsAnyOf("stuck", "at_risk");
                    assertThat(reasons(row)).as("reasons of %s: %s", member.clientId(), row)
                            .anySatisfy(reason -> assertThat(member.expectedCausePrefixes())
                                    .anySatisfy(prefix -> assertThat(reason).startsWith(prefix)));
                }
            }
        });
        // and no modern installation is judged anything but healthy, not even pending
        for (Member member : FLEET) {
            if (!member.outdated()) {
                JsonNode row = row(member.clientId());
                assertThat(row).as("row of %s", member.clientId()).isNotNull();
                assertThat(row.path("posture").asText()).as("%s", row).isEqualTo("healthy");
                assertThat(row.path("pendingPosture").isMissingNode()).as("%s", row).isTrue();
            }
        }

        // when the whole stack's time moves past the default hold, and the fleet checks once more
        stack.clock().skip(DEFAULT_HOLD.plus(DEFAULT_EVALUATE_EVERY));
        runFleet(1);

        // then each outdated installation's alert fires, and once the notifier's default cohort window has passed
        // without a cohort (far fewer than its threshold share one cause), each is paged exactly once
        Set<String> expectedKeys = FLEET.stream().filter(Member::outdated)
                .map(m -> "tls-outdated:" + m.clientId()).collect(Collectors.toCollection(TreeSet::new));
        await().atMost(JUDGED_WITHIN).untilAsserted(() -> assertThat(events(Topics.ALERTS.name()).stream()
                .filter(alert -> "firing".equals(alert.path("status").asText()))
                .map(alert -> alert.path("dedupKey").asText())).containsAll(expectedKeys));
        stack.clock().skip(DEFAULT_COHORT_WINDOW.plus(DEFAULT_EVALUATE_EVERY));
        await().atMost(JUDGED_WITHIN).untilAsserted(() ->
                assertThat(triggeredDedupKeys()).containsAll(expectedKeys));
        List<String> triggers = triggers();
        for (String key : expectedKeys) {
            assertThat(triggers).as("pages for %s", key).containsOnlyOnce(key);
        }
        assertThat(triggers).allSatisfy(key -> assertThat(expectedKeys).contains(key));
    }

    private static void runFleet(int checks) {
        List<PythonClients.Run> runs = new ArrayList<>();
        long shift = stack.clock().ahead().toSeconds();
        for (Member member : FLEET) {
            List<String> args = new ArrayList<>(List.of("--stack", member.stack(),
                    "--connect", "127.0.0.1:" + stack.validatorPort(),
                    "--public-url", stack.publicUrl().toString(),
                    "--source", member.source(),
                    "--ca", stack.certificates().caCertificate().toString(),
                    "--license-key", LICENSES.get(member.clientId()).licenseKey(),
                    "--client-id", member.clientId(),
                    "--key-file", dir.resolve(member.clientId() + ".key").toString(),
                    "--collector", "127.0.0.1:" + stack.collectorHttpPort(),
                    "--collector-tls", "127.0.0.1:" + stack.collectorHttpsPort(),
                    "--checks", String.valueOf(checks), "--interval", "2",
                    "--clock-offset", String.valueOf(shift + ("clock".equals(member.stack()) ? 7200 : 0)),
                    "--report-delay", String.valueOf(member.reportDelaySeconds())));
            runs.add(python.start(args));
        }
        runs.forEach(run -> run.await().forEach(line -> LOG.info("client: {}", line)));
    }

    /** The committed posture, or the pending one while the hold runs. */
    private static String judged(JsonNode row) {
        JsonNode pending = row.path("pendingPosture");
        return pending.isMissingNode() || pending.isNull() ? row.path("posture").asText() : pending.asText();
    }

    private static List<String> reasons(JsonNode row) {
        List<String> reasons = new ArrayList<>();
        row.path("reasons").forEach(r -> reasons.add(r.asText()));
        row.path("pendingReasons").forEach(r -> reasons.add(r.asText()));
        return reasons;
    }

    private static JsonNode row(String clientId) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(stack.query("/v1/clients/" + clientId))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? Json.reader().readTree(response.body()) : null;
    }

    /** Every event on a topic so far, read from the beginning. */
    private static List<JsonNode> events(String topic) throws IOException {
        Map<String, Object> settings = new HashMap<>(KafkaSettings.of(stack.bootstrapServers())
                .consumer("field-check-" + UUID.randomUUID()));
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonNode> events = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(JUDGED_WITHIN).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    events.add(Json.reader().readTree(record.value()));
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return events;
    }

    private static List<String> triggers() {
        return stack.pagerTriggers();
    }

    private static Set<String> triggeredDedupKeys() {
        return new TreeSet<>(triggers());
    }
}
