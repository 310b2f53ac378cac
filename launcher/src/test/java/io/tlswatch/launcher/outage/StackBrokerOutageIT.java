package io.tlswatch.launcher.outage;

import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
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

    /**
     * The validator's events.bufferCapacity (its default): the StackLoad emits about 4,500 events in 30 s, so
     * all of them fit and none may be dropped; the drop path itself is shown by ValidatorKafkaDownIT.
     */
    private static final int EVENT_BUFFER = 10_000;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(3);
    private static final Duration RECOVERY = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PostureRows rows = new PostureRows(http);

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aThirtySecondOutageUnderLoadNeitherSlowsNorFailsLicenseChecksAndLosesNothingAcknowledged(@TempDir Path dir)
            throws Exception {
        // given the validator, the collector and the posture job on a broker of their own, and one license
        try (OutageStack stack = OutageStack.start(dir, EVENT_BUFFER, ACK_TIMEOUT, RETRY_AFTER)) {
            TopicReads reads = new TopicReads(stack.bootstrapServers(), "outage-", RECOVERY);
            try (StackLoad load = StackLoad.connect(stack, 20, http)) {
                // (the posture job learns each stuck installation's JA4 at its address before the load)
                load.introduceStuckClients(rows, RECOVERY);

                // and a steady load on all three
                load.start();
                load.runFor(WARM_UP, () -> { });
                long baselineFrom = System.nanoTime();
                // (many samples for the median even when the machine is busy: on a loaded machine the checks are
                // slower, so 12 s hold fewer of them)
                long baselineEnd = baselineFrom + BASELINE.toNanos();
                await().atMost(BASELINE_MAX.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    load.assertNoWrongAnswers();
                    long now = System.nanoTime();
                    return now >= baselineEnd && load.timings().stream().filter(t -> t.within(baselineFrom, now))
                            .count() >= BASELINE_CHECKS || now - baselineFrom >= BASELINE_MAX.toNanos();
                });

                // when the broker stops for 30 s under the same load
                long stopping = System.nanoTime();
                long emittedBeforeStop = load.truth().eventsEmitted();
                stack.stopBroker();
                long down = System.nanoTime();
                // then, all along, the posture job stays up (it cannot make progress, but it does not die)
                load.runFor(OUTAGE, () -> assertThat(stack.streams().state()).isNotIn(KafkaStreams.State.ERROR,
                        KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING));
                long restarting = System.nanoTime();

                // and when it is back
                stack.startBroker();
                long up = System.nanoTime();
                // (the collector acknowledges again)
                await().atMost(RECOVERY).until(() -> load.posted().stream()
                        .anyMatch(p -> p.sentNanos() > up && p.status() == 202));
                assertThat(load.stop()).as("load stopped").isTrue();

                // then every license check was answered VALID, during the outage as fast as before it
                load.assertNoWrongAnswers();
                assertLatencyHeld(load.timings(), t -> t.within(baselineFrom, stopping),
                        t -> t.within(down, restarting));

                // and the validator's events reached Kafka: none that fitted in the buffer is lost
                assertValidatorEventsDelivered(stack, load.truth(), reads, emittedBeforeStop);

                // and the collector refused what it could not store, and stored what it acknowledged once
                assertCollectorAnswered503WhileDownAndStoredEvery202Once(load.posted(), reads, down, restarting);

                // and the posture job resumed, and its rows equal the ground truth
                assertPostureEqualsTruth(stack, load, reads);
                assertThat(stack.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
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

    private static void assertValidatorEventsDelivered(OutageStack stack, GroundTruth truth, TopicReads reads,
                                                       long emittedBeforeStop) {
        // Every check emits one license-check event; wait until each was acknowledged by Kafka or dropped.
        ValidatorDelivery delivery = ValidatorDelivery.awaited(stack.validator().meters(), truth, reads, RECOVERY);
        LOG.info("{} license checks, {} of their events in the topic, {} dropped; handshake events dropped: {}",
                delivery.emittedChecks(), delivery.deliveredChecksTotal(), delivery.droppedChecks(),
                delivery.droppedHandshakes());
        // what is in the topic plus what was counted as dropped is what was emitted
        delivery.assertTopicPlusDroppedIsEmitted();
        // and nothing that fitted in the buffer was dropped (the load of the whole outage fits: nothing at all)
        // (counted low: the handshakes of new connections emit events too, which makes the bound stricter)
        delivery.assertDroppedOnlyBeyondTheBuffer(EVENT_BUFFER, truth.eventsEmitted() - emittedBeforeStop);
        // so every client's events are there, once each
        assertThat(delivery.deliveredChecks()).isEqualTo(truth.checksByClient());
        // and so is every failed handshake, under the address it came from
        assertThat(delivery.failuresByAddress()).isEqualTo(truth.failedHandshakesByAddress());
    }

    private static void assertCollectorAnswered503WhileDownAndStoredEvery202Once(Queue<Posted> posted,
                                                                                 TopicReads reads, long down,
                                                                                 long restarting) {
        List<Posted> all = List.copyOf(posted);
        List<Posted> whileDown = all.stream().filter(p -> p.sentNanos() >= down && p.answeredNanos() < restarting)
                .toList();
        Map<String, Integer> stored = reads.count(Topics.CLIENT_REPORTS, ClientReportEvent::reportId);
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

    /** Ground truth per client: see {@link GroundTruth#postureRows}. */
    private void assertPostureEqualsTruth(OutageStack stack, StackLoad load, TopicReads reads) {
        Map<String, String> truth = load.truth().postureRows(load.checking(), load.stuck(), load.reporters(),
                reads.count(Topics.CLIENT_REPORTS, ClientReportEvent::clientId));
        long from = System.nanoTime();
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(rows.of(stack.streams())).isEqualTo(truth));
        LOG.info("Posture rows of {} clients equal the ground truth {} ms after the load stopped: {}", truth.size(),
                Duration.ofNanos(System.nanoTime() - from).toMillis(), truth);
    }

    private static String summary(List<Long> sortedMicros) {
        return sortedMicros.size() + " checks, median " + sortedMicros.get(sortedMicros.size() / 2) + " us, p90 "
                + sortedMicros.get(sortedMicros.size() * 9 / 10) + " us, max "
                + sortedMicros.get(sortedMicros.size() - 1) + " us";
    }
}
