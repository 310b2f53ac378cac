package io.tlswatch.launcher.outage;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.report.Classification;
import io.tlswatch.client.report.FailureReport;
import io.tlswatch.client.report.ReportSigner;
import io.tlswatch.client.report.TlsFailureClassifier;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One broker outage for all three Kafka users at once. Validator, collector and posture job run in this JVM on a
 * broker of their own, under a steady load of real clients: installations checking their licenses over kept-alive
 * TLS connections with DPoP proofs, each from a loopback address of its own; some of them also running an old TLS
 * stack whose handshakes the validator refuses, and which reported that once, as the client SDK does, over the
 * collector's HTTPS listener with the same ClientHello, so that the posture job knows that stack's JA4 at their
 * address (docs/posture.md, "Attribution"); client reports posted to the collector. The broker is stopped for
 * 30 s under that same load and started again on the same port and data. Then:
 * <ul>
 *     <li>every license check was answered {@code VALID}, and the median during the outage is within 10 % of the
 *     median measured with the broker up;</li>
 *     <li>the validator's events reach Kafka after the outage: what is in the topic plus what was counted as
 *     dropped is what was emitted, and nothing that fitted in the buffer was dropped;</li>
 *     <li>the collector answered 503 with Retry-After while the broker was down, and every report it answered 202
 *     is in the topic exactly once;</li>
 *     <li>the posture job resumes, and every client's row counts exactly the handshake failures caused from its
 *     address and the reports that reached the topic for it.</li>
 * </ul>
 */
class StackBrokerOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(StackBrokerOutageIT.class);

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** Load before the baseline: the JIT compiles the request path, and the posture job ties addresses to clients. */
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    /** The baseline lasts this long at least, and until it holds BASELINE_CHECKS checks, at most BASELINE_MAX. */
    private static final Duration BASELINE = Duration.ofSeconds(12);
    private static final Duration BASELINE_MAX = Duration.ofSeconds(20);
    private static final int BASELINE_CHECKS = 1_000;
    /** "Latency within 10 % of normal" (issue 10): the outage median may be at most this times the baseline's. */
    private static final double MAX_SLOWDOWN = 1.10;

    /** Installations checking back to back with a short pause: the latency is measured on theirs. */
    private static final int CHECKING_CLIENTS = 3;
    private static final Duration CHECK_PAUSE = Duration.ofMillis(15);
    /** Installations checking now and then, whose own old stacks fail handshakes from their addresses. */
    private static final int STUCK_CLIENTS = 4;
    private static final Duration STUCK_CHECK_PAUSE = Duration.ofSeconds(2);
    private static final Duration OLD_STACK_PAUSE = Duration.ofMillis(1500);
    private static final int REPORTERS = 2;
    private static final Duration REPORT_PAUSE = Duration.ofMillis(400);

    /**
     * The validator's events.bufferCapacity (its default): the load above emits about 4,500 events in 30 s, so
     * all of them fit and none may be dropped; the drop path itself is shown by ValidatorKafkaDownIT.
     */
    private static final int EVENT_BUFFER = 10_000;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(3);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    /** One license check by a checking client: when it was sent (System.nanoTime) and how long its answer took. */
    private record Timed(long sentNanos, long micros) {
        /** Whether it was sent and answered within [from, to). */
        boolean within(long from, long to) {
            return sentNanos >= from && sentNanos + micros * 1_000 < to;
        }
    }

    /** One report posted to the collector and its answer. */
    private record Posted(String clientId, String reportId, int status, String retryAfter, long sentNanos,
                          long answeredNanos) {
    }

    private final Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
    private final Queue<Timed> timings = new ConcurrentLinkedQueue<>();
    private final Queue<Posted> posted = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> checksByClient = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failedHandshakesByAddress = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aThirtySecondOutageUnderLoadNeitherSlowsNorFailsLicenseChecksAndLosesNothingAcknowledged(@TempDir Path dir)
            throws Exception {
        // given the validator, the collector and the posture job on a broker of their own, and one license
        try (OutageStack stack = OutageStack.start(dir, EVENT_BUFFER, ACK_TIMEOUT, RETRY_AFTER)) {
            String licenseKey = issueLicense(stack);
            SSLContext tls = LoopbackTls.trusting(stack.certificates().caCertificate());
            int validatorPort = stack.validator().port();
            List<KeepAliveLicenseClient> checking = new ArrayList<>();
            List<KeepAliveLicenseClient> stuck = new ArrayList<>();
            for (int i = 0; i < CHECKING_CLIENTS; i++) {
                checking.add(new KeepAliveLicenseClient(tls, LoopbackTls.address(20 + i), validatorPort,
                        OutageStack.VALIDATOR_PUBLIC_URL, licenseKey));
            }
            for (int i = 0; i < STUCK_CLIENTS; i++) {
                stuck.add(new KeepAliveLicenseClient(tls, LoopbackTls.address(40 + i), validatorPort,
                        OutageStack.VALIDATOR_PUBLIC_URL, licenseKey));
            }
            List<String> reporters = new ArrayList<>();
            for (int i = 0; i < REPORTERS; i++) {
                reporters.add("reporter-" + UUID.randomUUID());
            }
            // (the posture job gives a failure from an address to a client only if it saw the client there with
            // the failure's JA4: each stuck installation checks in, its old stack fails once and reports that over
            // the collector's HTTPS listener, as the SDK does, so its JA4 is known before the load; the first
            // failure is held until that report teaches it, then counted)
            URI reportsOverTls = URI.create("https://localhost:" + stack.collector().httpsPort() + "/v1/reports");
            for (KeepAliveLicenseClient client : stuck) {
                check(client, ignored -> { });
                reportOldStackFailure(tls, stack, client, validatorPort, reportsOverTls);
            }
            assertThat(wrongAnswers).isEmpty();
            await().atMost(RECOVERY).until(() -> rows(stack).entrySet().containsAll(stuck.stream()
                    .map(c -> Map.entry(c.clientId(), "failures=1 reports=1")).toList()));

            // and a steady load on all three
            ScheduledExecutorService load = Executors.newScheduledThreadPool(
                    CHECKING_CLIENTS + 2 * STUCK_CLIENTS + REPORTERS);
            for (KeepAliveLicenseClient client : checking) {
                every(load, CHECK_PAUSE, () -> check(client, timings::add));
            }
            for (KeepAliveLicenseClient client : stuck) {
                every(load, STUCK_CHECK_PAUSE, () -> check(client, ignored -> { }));
                every(load, OLD_STACK_PAUSE, () -> oldStack(tls, client, validatorPort));
            }
            URI reports = URI.create("http://127.0.0.1:" + stack.collector().httpPort() + "/v1/reports");
            for (String reporter : reporters) {
                every(load, REPORT_PAUSE, () -> report(reports, reporter));
            }
            try {
                runFor(WARM_UP, () -> { });
                long baselineFrom = System.nanoTime();
                // (many samples for the median even when the machine is busy: on a loaded machine the checks are
                // slower, so 12 s hold fewer of them)
                long baselineEnd = baselineFrom + BASELINE.toNanos();
                await().atMost(BASELINE_MAX.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(wrongAnswers).as("wrong answers to the clients").isEmpty();
                    long now = System.nanoTime();
                    return now >= baselineEnd && timings.stream().filter(t -> t.within(baselineFrom, now)).count()
                            >= BASELINE_CHECKS || now - baselineFrom >= BASELINE_MAX.toNanos();
                });

                // when the broker stops for 30 s under the same load
                long stopping = System.nanoTime();
                long emittedBeforeStop = eventsEmitted();
                stack.stopBroker();
                long down = System.nanoTime();
                // then, all along, the posture job stays up (it cannot make progress, but it does not die)
                runFor(OUTAGE, () -> assertThat(stack.streams().state()).isNotIn(KafkaStreams.State.ERROR,
                        KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING));
                long restarting = System.nanoTime();

                // and when it is back
                stack.startBroker();
                long up = System.nanoTime();
                // (the collector acknowledges again)
                await().atMost(RECOVERY).until(() -> posted.stream()
                        .anyMatch(p -> p.sentNanos() > up && p.status() == 202));
                load.shutdown();
                assertThat(load.awaitTermination(20, TimeUnit.SECONDS)).as("load stopped").isTrue();

                // then every license check was answered VALID, during the outage as fast as before it
                assertThat(wrongAnswers).as("wrong answers to the clients").isEmpty();
                assertLatencyHeld(timings, t -> t.within(baselineFrom, stopping), t -> t.within(down, restarting));

                // and the validator's events reached Kafka: none that fitted in the buffer is lost
                assertValidatorEventsDelivered(stack, emittedBeforeStop);

                // and the collector refused what it could not store, and stored what it acknowledged once
                assertCollectorAnswered503WhileDownAndStoredEvery202Once(stack, down, restarting);

                // and the posture job resumed, and its rows equal the ground truth
                assertPostureEqualsTruth(stack, checking, stuck, reporters);
                assertThat(stack.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
            } finally {
                load.shutdownNow();
                for (KeepAliveLicenseClient client : checking) {
                    client.close();
                }
                for (KeepAliveLicenseClient client : stuck) {
                    client.close();
                }
            }
        }
    }

    /**
     * The same load ran in both windows (each checking client pauses the same 15 ms between checks, the other
     * clients keep their pace), so their medians are comparable. Medians, not means or high percentiles: on a
     * shared two-core machine some checks are delayed by whatever else the machine runs (other builds, the
     * garbage collector, the broker's and the posture job's own threads); the median is the typical check and
     * moves only if most checks got slower, which is what "latency within 10 % of normal" is about. One-sided:
     * checks are faster while the broker is away, since the broker and the posture job, which share the two
     * cores with the validator, are idle then (over twelve runs the median during the outage was 0.28 to 0.57
     * times the baseline's). What this catches is the validator waiting for Kafka in a request: for metadata, a
     * full producer buffer or an acknowledgement would cost each check up to max.block.ms. No floor for timer
     * resolution: System.nanoTime counts microseconds here, and the medians are milliseconds.
     */
    private static void assertLatencyHeld(Queue<Timed> timings, Predicate<Timed> baseline, Predicate<Timed> outage) {
        List<Long> normal = timings.stream().filter(baseline).map(Timed::micros)
                .sorted().toList();
        List<Long> whileDown = timings.stream().filter(outage).map(Timed::micros)
                .sorted().toList();
        long normalMedian = normal.get(normal.size() / 2);
        long downMedian = whileDown.get(whileDown.size() / 2);
        double ratio = (double) downMedian / normalMedian;
        LOG.info("License checks with the broker up: {}; during the {} s outage: {}; median ratio {}",
                summary(normal), OUTAGE.toSeconds(), summary(whileDown), String.format("%.3f", ratio));
        assertThat(normal).as("checks in the baseline window").hasSizeGreaterThanOrEqualTo(BASELINE_CHECKS / 2);
        assertThat(whileDown).as("checks during the outage").hasSizeGreaterThan(1_000);
        assertThat(ratio).as("median during the outage (%d us) over the median before it (%d us)", downMedian,
                normalMedian).isLessThanOrEqualTo(MAX_SLOWDOWN);
    }

    private void assertValidatorEventsDelivered(OutageStack stack, long emittedBeforeStop) {
        MeterRegistry meters = stack.validator().meters();
        int emitted = checksByClient.values().stream().mapToInt(AtomicInteger::get).sum();
        // Every check emits one license-check event; wait until each was acknowledged by Kafka or dropped.
        await().atMost(RECOVERY).until(() -> published(meters, Topics.LICENSE_CHECKS)
                + dropped(meters, Topics.LICENSE_CHECKS) >= emitted
                && stack.validator().meters().get("tlswatch.events.buffered").gauge().value() == 0);
        long droppedChecks = Math.round(dropped(meters, Topics.LICENSE_CHECKS));
        long droppedHandshakes = Math.round(dropped(meters, Topics.HANDSHAKES));
        Map<String, Integer> delivered = count(stack, Topics.LICENSE_CHECKS, LicenseCheckEvent::clientId);
        Map<String, Integer> sent = new HashMap<>();
        checksByClient.forEach((client, n) -> sent.put(client, n.get()));
        LOG.info("{} license checks, {} of their events in the topic, {} dropped; handshake events dropped: {}",
                emitted, delivered.values().stream().mapToInt(Integer::intValue).sum(), droppedChecks,
                droppedHandshakes);
        // what is in the topic plus what was counted as dropped is what was emitted
        assertThat(delivered.values().stream().mapToInt(Integer::intValue).sum() + droppedChecks).isEqualTo(emitted);
        // and nothing that fitted in the buffer was dropped (the load of the whole outage fits: nothing at all)
        // (counted low: the handshakes of new connections emit events too, which makes the bound stricter)
        long emittedSinceStop = eventsEmitted() - emittedBeforeStop;
        assertThat(droppedChecks + droppedHandshakes).as("dropped only beyond the buffer of %d", EVENT_BUFFER)
                .isLessThanOrEqualTo(Math.max(0, emittedSinceStop - EVENT_BUFFER));
        assertThat(meters.find("tlswatch.events.dropped").counters())
                .filteredOn(c -> !"buffer_full".equals(c.getId().getTag("reason")))
                .allSatisfy(c -> assertThat(c.count()).as(c.getId().toString()).isZero());
        // so every client's events are there, once each
        assertThat(delivered).isEqualTo(sent);
        // and so is every failed handshake, under the address it came from
        Map<String, Integer> failures = new HashMap<>();
        readAll(stack, Topics.HANDSHAKES, e -> {
            if (e.outcome() == HandshakeOutcome.FAILURE) {
                failures.merge(e.remoteAddress(), 1, Integer::sum);
            }
        });
        Map<String, Integer> caused = new HashMap<>();
        failedHandshakesByAddress.forEach((address, n) -> caused.put(address, n.get()));
        assertThat(failures).isEqualTo(caused);
    }

    /** License checks and failed handshakes so far: each made the validator emit one event. */
    private long eventsEmitted() {
        return checksByClient.values().stream().mapToInt(AtomicInteger::get).sum()
                + failedHandshakesByAddress.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    private void assertCollectorAnswered503WhileDownAndStoredEvery202Once(OutageStack stack, long down,
                                                                          long restarting) {
        List<Posted> all = List.copyOf(posted);
        List<Posted> whileDown = all.stream().filter(p -> p.sentNanos() >= down && p.answeredNanos() < restarting)
                .toList();
        Map<String, Integer> stored = count(stack, Topics.CLIENT_REPORTS, ClientReportEvent::reportId);
        LOG.info("{} reports posted: {} answered 202, {} answered 503 ({} of them sent and answered while the "
                + "broker was down; {} reached the topic anyway once it was back)", all.size(),
                all.stream().filter(p -> p.status() == 202).count(),
                all.stream().filter(p -> p.status() == 503).count(), whileDown.size(),
                all.stream().filter(p -> p.status() == 503 && stored.containsKey(p.reportId())).count());
        assertThat(all).extracting(Posted::status).containsOnly(202, 503);
        assertThat(all).filteredOn(p -> p.status() == 503).extracting(Posted::retryAfter)
                .containsOnly(String.valueOf(RETRY_AFTER.toSeconds()));
        assertThat(whileDown).as("reports while the broker was down").hasSizeGreaterThanOrEqualTo(10)
                .extracting(Posted::status).containsOnly(503);

        Map<String, Integer> acknowledged = new HashMap<>();
        all.stream().filter(p -> p.status() == 202).forEach(p -> acknowledged.put(p.reportId(), 1));
        assertThat(stored).as("every report answered 202 is in the topic exactly once")
                .containsAllEntriesOf(acknowledged);
        // (a report answered 503 may still have reached Kafka later, once: its client would retry it, and
        // consumers deduplicate by reportId; nothing was retried here, so nothing is there twice)
        assertThat(stored.values()).containsOnly(1);
    }

    /**
     * Ground truth per client: the handshake failures caused from its address (stuck clients; none for the
     * others), and the reports stored for it (reporters, and each stuck client's report of its old stack).
     */
    private void assertPostureEqualsTruth(OutageStack stack, List<KeepAliveLicenseClient> checking,
                                          List<KeepAliveLicenseClient> stuck, List<String> reporters) {
        Map<String, String> truth = new HashMap<>();
        checking.forEach(c -> truth.put(c.clientId(), "failures=0 reports=0"));
        Map<String, Integer> storedReports = count(stack, Topics.CLIENT_REPORTS, ClientReportEvent::clientId);
        stuck.forEach(c -> truth.put(c.clientId(), "failures=" + failedHandshakesByAddress
                .get(c.address().getHostAddress()).get() + " reports=" + storedReports.getOrDefault(c.clientId(), 0)));
        reporters.forEach(r -> truth.put(r, "failures=0 reports=" + storedReports.getOrDefault(r, 0)));
        long from = System.nanoTime();
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(rows(stack)).isEqualTo(truth));
        LOG.info("Posture rows of {} clients equal the ground truth {} ms after the load stopped: {}", truth.size(),
                Duration.ofNanos(System.nanoTime() - from).toMillis(), truth);
    }

    /** The posture job's rows, each as the counts the ground truth gives: {@code failures=<n> reports=<n>}. */
    private Map<String, String> rows(OutageStack stack) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + stack.streams().port() + "/v1/clients?limit=1000")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> rows = new HashMap<>();
        if (response.statusCode() != 200) {
            return rows;
        }
        for (JsonNode row : Json.reader().readTree(response.body()).path("clients")) {
            rows.put(row.path("clientId").asText(), "failures=" + sum(row.path("failuresByReason"))
                    + " reports=" + sum(row.path("reportsByErrorClass")));
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

    private String issueLicense(OutageStack stack) throws InterruptedException {
        try (LicenseAdmin admin = new LicenseAdmin(KafkaSettings.of(stack.bootstrapServers()), Topics.LICENSES,
                Clock.systemUTC(), "test")) {
            IssuedLicense issued = admin.issue("Acme", "standard", List.of(), 2 * (CHECKING_CLIENTS + STUCK_CLIENTS),
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), Duration.ZERO);
            assertThat(stack.validator().registry().awaitLicense(issued.license().licenseId(), l -> true,
                    Duration.ofSeconds(30))).as("the validator has the license").isTrue();
            return issued.licenseKey();
        }
    }

    private void check(KeepAliveLicenseClient client, Consumer<Timed> timing) {
        long sent = System.nanoTime();
        try {
            KeepAliveLicenseClient.Answer answer = client.check();
            checksByClient.computeIfAbsent(client.clientId(), k -> new AtomicInteger()).incrementAndGet();
            if (answer.status() != 200 || !"VALID".equals(answer.code())) {
                wrongAnswers.add(client.clientId() + ": " + answer);
            }
            timing.accept(new Timed(sent, answer.micros()));
        } catch (Exception e) {
            wrongAnswers.add(client.clientId() + ": " + e);
        }
    }

    /** One handshake of the client's old stack at the validator, counted when it failed; how it failed. */
    private Optional<SSLException> oldStack(SSLContext tls, KeepAliveLicenseClient client, int port) {
        try {
            Optional<SSLException> failure = LoopbackTls.oldStackHandshakeFailure(tls, client.address(), port);
            if (failure.isPresent()) {
                failedHandshakesByAddress.computeIfAbsent(client.address().getHostAddress(), k -> new AtomicInteger())
                        .incrementAndGet();
            } else {
                wrongAnswers.add("an old stack completed a handshake from " + client.address());
            }
            return failure;
        } catch (Exception e) {
            wrongAnswers.add("old stack from " + client.address() + ": " + e);
            return Optional.empty();
        }
    }

    /**
     * What the client SDK does when a check fails on the installation's old stack: the report made by the SDK's
     * own classes from that failure, signed with the installation's key, posted from the installation's address
     * over the collector's HTTPS listener with that same old stack. A context of its own: one with no session to
     * resume at the collector, so the ClientHello is the one its failed handshakes carry.
     */
    private void reportOldStackFailure(SSLContext tls, OutageStack stack, KeepAliveLicenseClient client,
                                       int validatorPort, URI reportsOverTls) {
        Instant occurredAt = Instant.now();
        Optional<SSLException> failure = oldStack(tls, client, validatorPort);
        if (failure.isEmpty()) {
            return;
        }
        try {
            SSLContext oldStack = LoopbackTls.trusting(stack.certificates().caCertificate());
            Classification classification = new TlsFailureClassifier().classify(failure.get());
            FailureReport report = FailureReport.of(Json.mapper(), client.clientId(), null, occurredAt,
                    OutageStack.VALIDATOR_PUBLIC_URL + "/v1/licenses/validate", classification,
                    ClientTls.of(oldStack, LoopbackTls.OLD_STACK_PROTOCOLS, LoopbackTls.OLD_STACK_SUITES), null);
            byte[] body = Json.mapper().writeValueAsBytes(report.sent(Instant.now()));
            long sent = System.nanoTime();
            int status = LoopbackTls.oldStackPost(oldStack, client.address(), reportsOverTls.getPort(),
                    reportsOverTls.getPath(), Map.of("Content-Type", "application/json", ReportSigner.HEADER,
                            client.signReport(body)), body);
            posted.add(new Posted(client.clientId(), report.reportId(), status, null, sent, System.nanoTime()));
            if (status != 202) {
                wrongAnswers.add("old stack report of " + client.clientId() + " over HTTPS answered " + status);
            }
        } catch (Exception e) {
            wrongAnswers.add("old stack report of " + client.clientId() + ": " + e);
        }
    }

    /**
     * Posts one report as the client SDK writes it. Never retried: what a 503 leaves in the producer may still
     * reach the topic, and a retry would then write it twice (the retry path is CollectorKafkaDownIT's).
     */
    private void report(URI reports, String clientId) {
        String reportId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String body = """
                {"reportId": "%s", "clientId": "%s", "occurredAt": "%s",
                 "endpoint": "https://licenses.example.com/v1/licenses/validate",
                 "errorClass": "tls.version_or_cipher_mismatch",
                 "message": "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version",
                 "runtime": {"name": "Java(TM) SE Runtime Environment", "version": "1.7.0_80-b15", "vendor": "Oracle Corporation"},
                 "tls": {"library": "SunJSSE", "version": "1.7", "enabledProtocols": ["TLSv1"],
                         "enabledCipherSuites": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]},
                 "os": "Windows Server 2008 R2 6.1 amd64", "appVersion": "4.12.3", "clientTime": "%s"}"""
                .formatted(reportId, clientId, now, now);
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(reports)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            posted.add(new Posted(clientId, reportId, response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null), sent, System.nanoTime()));
        } catch (Exception e) {
            wrongAnswers.add("report " + reportId + ": " + e);
        }
    }

    /** Runs {@code task} again and again with {@code pause} between the end of one run and the next. */
    private static void every(ScheduledExecutorService load, Duration pause, Runnable task) {
        load.scheduleWithFixedDelay(task, 0, pause.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Lets the load run for {@code window}: a bounded wait for the window's end that fails at once if a client
     * got a wrong answer meanwhile, or {@code invariant} stops holding.
     */
    private void runFor(Duration window, Runnable invariant) {
        long end = System.nanoTime() + window.toNanos();
        await().atMost(window.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(wrongAnswers).as("wrong answers to the clients").isEmpty();
            invariant.run();
            return System.nanoTime() >= end;
        });
    }

    private static double published(MeterRegistry meters, Topic<?, ?> topic) {
        Counter counter = meters.find("tlswatch.events.published").tag("topic", topic.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double dropped(MeterRegistry meters, Topic<?, ?> topic) {
        return meters.find("tlswatch.events.dropped").tag("topic", topic.name()).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** How many records of the whole topic have each value of {@code by}. */
    private static <V> Map<String, Integer> count(OutageStack stack, Topic<String, V> topic,
                                                  java.util.function.Function<V, String> by) {
        Map<String, Integer> counts = new HashMap<>();
        readAll(stack, topic, v -> counts.merge(by.apply(v), 1, Integer::sum));
        return counts;
    }

    /** Reads the topic from its beginning to its end now. */
    private static <V> void readAll(OutageStack stack, Topic<String, V> topic, Consumer<V> each) {
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                KafkaSettings.of(stack.bootstrapServers()).consumer("outage-" + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(RECOVERY).until(() -> {
                for (ConsumerRecord<String, V> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
    }

    private static String summary(List<Long> sortedMicros) {
        return sortedMicros.size() + " checks, median " + sortedMicros.get(sortedMicros.size() / 2) + " us, p90 "
                + sortedMicros.get(sortedMicros.size() * 9 / 10) + " us, max "
                + sortedMicros.get(sortedMicros.size() - 1) + " us";
    }
}
