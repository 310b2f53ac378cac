package io.tlswatch.launcher.outage;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.EmbeddedKafkaCluster;
import io.tlswatch.notifier.fake.FakeApi;
import io.tlswatch.streams.PostureJob;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Brokers lost under load on a three-broker cluster (replication 3, {@code min.insync.replicas} 2, the producers'
 * {@code acks=all}; Kafka 4.4's transactions v2, {@link FailoverStack}), with validator, collector, posture job and
 * notifier all in this JVM, under the {@link StackLoad} of {@link StackBrokerOutageIT} (installations checking
 * licenses over kept-alive TLS with DPoP proofs, old stacks failing handshakes from their own addresses, reports
 * posted to the collector), and the notifier paging a stand-in PagerDuty and a signed webhook with the alerts the
 * posture job raises for the reporting clients (never validated, so at risk once stuck). In turn, under the same
 * load:
 * <ol>
 *     <li>the broker(s) leading the partitions of the handshake and client-report topics are shut down, each in
 *     turn, and started again on their ports and data;</li>
 *     <li>one broker (the one then leading the report topic) is down for 30 s;</li>
 *     <li>a second posture job with the same application id joins: tasks move to it, and exactly-once v2 fences
 *     the first's producer for them by the group generation.</li>
 * </ol>
 * Then: every license check was answered {@code VALID} (the maximum latency is logged); the validator's events are
 * in their topics, plus those counted as dropped; every report answered 202 is in its topic exactly once; the
 * posture rows, read from either job, equal the ground truth; every alert on the topic reached both fake targets
 * at least once, under its id (webhook) and dedup key (PagerDuty), and nothing else was paged.
 */
class FailoverIT {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration AFTER_FENCING = Duration.ofSeconds(10);
    /** The validator's events.bufferCapacity (its default). */
    private static final int EVENT_BUFFER = 10_000;
    private static final Duration RECOVERY = Duration.ofSeconds(60);
    /** Rows equalled the truth 38 to 65 s after the load stopped in the runs so far (docs/reliability.md). */
    private static final Duration POSTURE_RECOVERY = Duration.ofSeconds(90);
    private static final List<String> KILLED_TOPICS = List.of(Topics.HANDSHAKES.name(), Topics.CLIENT_REPORTS.name());

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PostureRows rows = new PostureRows(http);

    @Test
    @Timeout(value = 7, unit = TimeUnit.MINUTES)
    void leaderKillsABrokerOutageAndAFencedStreamsProducerLoseNothingAcknowledgedAndNeverBlockValidation(
            @TempDir Path dir) throws Exception {
        // given the four services on three brokers, one license, and installations taught to the posture job
        try (FailoverStack stack = FailoverStack.start(dir, EVENT_BUFFER)) {
            EmbeddedKafkaCluster cluster = stack.cluster();
            TopicReads reads = new TopicReads(stack.bootstrapServers(), "failover-", RECOVERY);
            try (StackLoad load = StackLoad.connect(stack, 60, http)) {
                load.introduceStuckClients(rows, RECOVERY);

                // and a steady load on all four
                load.start();
                load.runFor(WARM_UP, () -> { });

                // when the broker(s) leading the handshake and report partitions are shut down and restarted
                Set<Integer> leaders = new TreeSet<>(cluster.leadersOf(KILLED_TOPICS));
                LOG.info("Leaders of {}: nodes {}", KILLED_TOPICS, leaders);
                long killsFrom = System.nanoTime();
                for (int leader : leaders) {
                    cluster.stop(leader);
                    load.runUntil(() -> KILLED_TOPICS.stream().allMatch(t -> cluster
                            .leaderOf(new TopicPartition(t, 0)).stream().anyMatch(l -> l != leader)), RECOVERY);
                    restartAndAwaitInSync(stack, load, leader);
                }
                long killsTo = System.nanoTime();

                // and one broker (the one leading the report topic now) is down for 30 s
                int downNode = cluster.leaderOf(new TopicPartition(Topics.CLIENT_REPORTS.name(), 0)).orElseThrow();
                cluster.stop(downNode);
                long down = System.nanoTime();
                load.runFor(OUTAGE, () -> assertThat(stack.streams().state()).isNotIn(KafkaStreams.State.ERROR,
                        KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING));
                long restarting = System.nanoTime();
                restartAndAwaitInSync(stack, load, downNode);

                // and a second posture job with the same application id takes tasks from the first mid-run
                int tasksBefore = stack.streams().activeTasks();
                PostureJob second = stack.startSecondPostureJob();
                load.runUntil(() -> second.activeTasks() > 0, RECOVERY);
                LOG.info("Posture job tasks: {} before the second instance joined; {} and {} after", tasksBefore,
                        stack.streams().activeTasks(), second.activeTasks());
                load.runFor(AFTER_FENCING, () -> assertThat(stack.streams().state()).isNotIn(
                        KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING));

                long stopping = System.nanoTime();
                assertThat(load.stop()).as("load stopped").isTrue();

                // then every license check was answered VALID, and none waited for Kafka
                load.assertNoWrongAnswers();
                Queue<Timed> timings = load.timings();
                long maxDuringKills = maxMicros(timings, killsFrom, killsTo);
                long maxDuringOutage = maxMicros(timings, down, restarting);
                long maxOverall = maxMicros(timings, 0, Long.MAX_VALUE);
                LOG.info("FAILOVER FIGURES: {} license checks; max latency {} ms during the leader kills, {} ms "
                                + "during the 30 s outage of node {}, {} ms over the whole run",
                        timings.size(), maxDuringKills / 1000.0, maxDuringOutage / 1000.0, downNode,
                        maxOverall / 1000.0);
                assertThat(timings.stream().filter(t -> t.within(down, restarting)).count())
                        .as("checks during the outage").isGreaterThan(100);

                // and the validator's events reached Kafka
                assertValidatorEventsDelivered(stack, load.truth(), reads);

                // and every report answered 202 is in the topic exactly once
                assertEvery202StoredOnce(load.posted(), reads);

                // and the posture rows equal the ground truth, read from either posture job
                assertPostureEqualsTruth(stack, load, reads);
                assertThat(stack.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

                // and every alert reached both targets at least once, under its dedup key
                assertEveryAlertDelivered(stack, reads);
                LOG.info("FAILOVER FIGURES: run of the failover phases {} s",
                        Duration.ofNanos(stopping - killsFrom).toSeconds());
            }
        }
    }

    /** Starts the node again and waits until every partition of the topics in use has three replicas in sync. */
    private static void restartAndAwaitInSync(FailoverStack stack, StackLoad load, int node) throws Exception {
        stack.cluster().restart(node);
        try (Admin admin = Admin.create(KafkaSettings.of(stack.bootstrapServers()).admin())) {
            List<String> topics = Topics.ALL.stream().map(Topic::name).toList();
            load.runUntil(() -> admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream()).map(TopicPartitionInfo::isr)
                    .allMatch(isr -> isr.size() == 3), RECOVERY);
        }
    }

    private static long maxMicros(Queue<Timed> timings, long from, long to) {
        return timings.stream().filter(t -> t.within(from, to)).mapToLong(Timed::micros).max().orElse(0);
    }

    private static void assertValidatorEventsDelivered(FailoverStack stack, GroundTruth truth, TopicReads reads) {
        ValidatorDelivery delivery = ValidatorDelivery.awaited(stack.validator().meters(), truth, reads, RECOVERY);
        LOG.info("FAILOVER FIGURES: {} license checks, {} of their events in the topic, {} dropped; handshake events "
                        + "dropped: {}", delivery.emittedChecks(), delivery.deliveredChecksTotal(),
                delivery.droppedChecks(), delivery.droppedHandshakes());
        // what is in the topic plus what was counted as dropped is what was emitted
        delivery.assertTopicPlusDroppedIsEmitted();
        // and with two brokers of three always up, nothing waited long enough to overflow the buffer
        delivery.assertDroppedOnlyBeyondTheBuffer(EVENT_BUFFER, truth.eventsEmitted());
        if (delivery.droppedChecks() == 0) {
            assertThat(delivery.deliveredChecks()).isEqualTo(truth.checksByClient());
        }
        if (delivery.droppedHandshakes() == 0) {
            assertThat(delivery.failuresByAddress()).isEqualTo(truth.failedHandshakesByAddress());
        }
    }

    private static void assertEvery202StoredOnce(Queue<Posted> posted, TopicReads reads) {
        List<Posted> all = List.copyOf(posted);
        Map<String, Integer> stored = reads.count(Topics.CLIENT_REPORTS, ClientReportEvent::reportId);
        List<String> acknowledged = all.stream().filter(p -> p.status() == 202).map(Posted::reportId).toList();
        long lost = acknowledged.stream().filter(id -> !stored.containsKey(id)).count();
        long duplicates = stored.values().stream().mapToInt(n -> n - 1).sum();
        LOG.info("FAILOVER FIGURES: {} reports posted: {} answered 202, {} answered 503; lost (202 but not in the "
                        + "topic) {}; duplicates in the topic {}", all.size(), acknowledged.size(),
                all.stream().filter(p -> p.status() == 503).count(), lost, duplicates);
        assertThat(all).extracting(Posted::status).allMatch(status -> status == 202 || status == 503);
        assertThat(lost).as("reports answered 202 but not in the topic").isZero();
        assertThat(duplicates).as("reports in the topic more than once").isZero();
    }

    private void assertPostureEqualsTruth(FailoverStack stack, StackLoad load, TopicReads reads) {
        Map<String, String> truth = load.truth().postureRows(load.checking(), load.stuck(), load.reporters(),
                reads.count(Topics.CLIENT_REPORTS, ClientReportEvent::clientId));
        long from = System.nanoTime();
        try {
            await().atMost(POSTURE_RECOVERY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(rows.of(stack.streams())).isEqualTo(truth);
                assertThat(rows.of(stack.secondStreams())).isEqualTo(truth);
            });
        } catch (AssertionError | RuntimeException e) {
            logWhereTheJobStands(stack);
            throw e;
        }
        LOG.info("FAILOVER FIGURES: posture rows of {} clients equal the ground truth {} ms after the load stopped: {}",
                truth.size(), Duration.ofNanos(System.nanoTime() - from).toMillis(), truth);
    }

    /**
     * Why rows lag, when they do: per partition, the posture job's committed offset, the last stable offset
     * (what read_committed consumers may read up to) and the high watermark, and the transactions still open.
     */
    private static void logWhereTheJobStands(FailoverStack stack) {
        try (Admin admin = Admin.create(KafkaSettings.of(stack.bootstrapServers()).admin())) {
            String group = admin.listConsumerGroups().all().get().stream().map(g -> g.groupId())
                    .filter(g -> g.startsWith("failover-")).findFirst().orElse("?");
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            Set<String> topics = admin.listTopics().names().get();
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(d -> d.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
            Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = partitions.stream().collect(
                    Collectors.toMap(p -> p, p -> org.apache.kafka.clients.admin.OffsetSpec.latest()));
            var stable = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get();
            var high = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                    org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED)).all().get();
            for (TopicPartition p : partitions.stream().sorted(java.util.Comparator.comparing(Object::toString))
                    .toList()) {
                var c = committed.get(p);
                LOG.warn("DIAG {} committed {} stable {} high {}", p, c == null ? "-" : c.offset(),
                        stable.get(p).offset(), high.get(p).offset());
            }
            admin.listTransactions().all().get().forEach(t -> LOG.warn("DIAG transaction {}", t));
        } catch (Exception e) {
            LOG.warn("DIAG failed: {}", e.toString());
        }
    }

    /**
     * Every alert committed to the topic reached the webhook under its id (X-Tlswatch-Delivery, what a receiver
     * deduplicates on) and PagerDuty under its dedup key with the matching action; nothing was paged that is not
     * on the topic.
     */
    private static void assertEveryAlertDelivered(FailoverStack stack, TopicReads reads) {
        List<AlertEvent> alerts = new ArrayList<>();
        reads.readAll(Topics.ALERTS, alerts::add);
        assertThat(alerts).as("alerts raised (the reporters are never validated: at risk once stuck)").isNotEmpty();
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Set<String> hooked = stack.webhook().accepted().stream().map(r -> r.header("X-Tlswatch-Delivery"))
                    .collect(Collectors.toSet());
            assertThat(hooked).containsAll(alerts.stream().map(AlertEvent::id).toList());
            Set<String> paged = stack.pagerDuty().accepted().stream().map(FakeApi.Received::json)
                    .map(e -> e.path("event_action").asText() + " " + e.path("dedup_key").asText())
                    .collect(Collectors.toSet());
            assertThat(paged).containsAll(alerts.stream().map(a -> (a.status() == AlertStatus.FIRING ? "trigger"
                    : "resolve") + " " + a.dedupKey()).toList());
        });
        // (the posture job may raise more alerts meanwhile: what the targets took is compared with the topic after)
        List<FakeApi.Received> hooked = stack.webhook().accepted();
        List<FakeApi.Received> paged = stack.pagerDuty().accepted();
        List<AlertEvent> allAlerts = new ArrayList<>();
        reads.readAll(Topics.ALERTS, allAlerts::add);
        Set<String> ids = allAlerts.stream().map(AlertEvent::id).collect(Collectors.toSet());
        Set<String> keys = allAlerts.stream().map(AlertEvent::dedupKey).collect(Collectors.toSet());
        assertThat(hooked).extracting(r -> r.header("X-Tlswatch-Delivery")).allMatch(ids::contains);
        assertThat(paged).extracting(r -> r.json().path("dedup_key").asText()).allMatch(keys::contains);
        LOG.info("FAILOVER FIGURES: {} alerts on the topic ({} dedup keys); webhook took {} deliveries ({} repeated), "
                        + "PagerDuty {} events", allAlerts.size(), keys.size(), hooked.size(),
                hooked.size() - hooked.stream().map(r -> r.header("X-Tlswatch-Delivery")).distinct().count(),
                paged.size());
    }
}
