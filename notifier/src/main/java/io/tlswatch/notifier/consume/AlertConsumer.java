package io.tlswatch.notifier.consume;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.notifier.cohort.CohortGrouper;
import io.tlswatch.notifier.cohort.CohortMeters;
import io.tlswatch.notifier.config.CohortSettings;
import io.tlswatch.notifier.delivery.DeadLetters;
import io.tlswatch.notifier.delivery.TargetDispatcher;
import io.tlswatch.notifier.routing.Router;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads {@code tlswatch.alerts.v1} and hands each alert to the dispatchers of the targets it routes to,
 * committing an alert's offset only once every one of them has finished with it (accepted, or dead-lettered):
 * at-least-once. An alert that cannot be read is dead-lettered as unreadable. When a target's queue is full,
 * reading pauses (nothing is dropped) until it has room again. Client alerts pass a {@link CohortGrouper} first,
 * which holds them briefly and pages a fleet-wide cause once; a held alert stays uncommitted until decided.
 *
 * <p>Runs on its own thread ({@link #run}); {@link #stop} ends it, committing what is finished.
 */
public final class AlertConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(AlertConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** The raw value kept in an unreadable record's dead letter: enough to see what it was. */
    private static final int MAX_RAW = 64 * 1024;

    private record Entry(TopicPartition partition, long offset, String key, AlertEvent alert, String raw,
                         String problem) {
    }

    private record Finished(TopicPartition partition, long offset) {
    }

    private final Consumer<String, byte[]> consumer;
    private final Topic<String, AlertEvent> topic;
    private final Router<TargetDispatcher> router;
    private final DeadLetters deadLetters;
    private final String source;
    private final Clock clock;
    private final Duration closeTimeout;
    private final OffsetTracker tracker = new OffsetTracker();
    private final ArrayDeque<Entry> backlog = new ArrayDeque<>();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter routed;
    private final Counter unrouted;
    private final Counter unreadable;
    private final Counter duplicate;
    private final CohortGrouper<Entry> cohorts;
    /**
     * Ids of alerts every target has finished with, the latest {@value #REMEMBERED}: a producer that retried
     * writes an alert twice under one id (docs/events.md), and the second copy need not page anyone again. Only
     * finished alerts are remembered, so skipping a copy never commits past one still in delivery.
     */
    private final Map<String, Boolean> finishedIds = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            });
    private static final int REMEMBERED = 10_000;
    private final java.util.concurrent.CompletableFuture<Throwable> failed = new java.util.concurrent.CompletableFuture<>();
    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile int paused;
    private volatile boolean stopped;
    private final java.util.concurrent.CountDownLatch joinedOrStopped = new java.util.concurrent.CountDownLatch(1);

    public AlertConsumer(Consumer<String, byte[]> consumer, Topic<String, AlertEvent> topic,
                         Router<TargetDispatcher> router, DeadLetters deadLetters, MeterRegistry meters, String source,
                         Clock clock, Duration closeTimeout, CohortSettings cohortSettings) {
        this.consumer = consumer;
        this.topic = topic;
        this.router = router;
        this.deadLetters = deadLetters;
        this.source = source;
        this.clock = clock;
        this.closeTimeout = closeTimeout;
        routed = alerts(meters, "routed");
        unrouted = alerts(meters, "unrouted");
        unreadable = alerts(meters, "unreadable");
        duplicate = alerts(meters, "duplicate");
        cohorts = new CohortGrouper<>(cohortSettings, source, new CohortMeters(meters));
        Gauge.builder("tlswatch.notifier.alerts.open", open::get)
                .description("Alerts read whose offset is not committed yet (in delivery, or behind one that is)")
                .register(meters);
        Gauge.builder("tlswatch.notifier.consumer.paused", () -> paused)
                .description("1 while reading is paused because a target's queue is full").register(meters);
    }

    private static Counter alerts(MeterRegistry meters, String outcome) {
        return Counter.builder("tlswatch.notifier.alerts").description("Alerts read from tlswatch.alerts.v1")
                .tag("outcome", outcome).register(meters);
    }

    /** True once the consumer has joined its group and been given its partitions. */
    public boolean ready() {
        return assigned && !stopped;
    }

    public boolean stopped() {
        return stopped;
    }

    /** Waits until the consumer has its partitions, or has stopped; returns {@link #ready()}. */
    public boolean awaitReady(Duration limit) throws InterruptedException {
        joinedOrStopped.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return ready();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic.name()), new Rebalance());
            while (running) {
                commitFinished();
                apply(cohorts.due(clock.instant()));
                handOver();
                if (backlog.isEmpty()) {
                    if (paused == 1) {
                        consumer.resume(consumer.paused());
                        paused = 0;
                    }
                } else {
                    consumer.pause(consumer.assignment());
                    paused = 1;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    backlog.add(read(record));
                }
                handOver();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("Alert consumer stopped: {}", e.toString());
            failed.complete(e);
        } finally {
            try {
                commitFinished();
            } catch (RuntimeException e) {
                log.warn("Last commit failed: {}", e.toString());
            }
            stopped = true;
            joinedOrStopped.countDown();
            consumer.close(closeTimeout);
        }
    }

    /** Completes with the cause when the consumer ended on its own (a fatal Kafka error), not when stopped. */
    public java.util.concurrent.CompletableFuture<Throwable> failed() {
        return failed;
    }

    /** Ends {@link #run} from another thread; what is finished gets committed, the rest is read again later. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    private Entry read(ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try {
            AlertEvent alert = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            if (alert == null) {
                throw new IllegalArgumentException("a null value (tombstone) on an event topic");
            }
            return new Entry(partition, record.offset(), record.key(), alert, null, null);
        } catch (RuntimeException e) {
            String raw = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
            if (raw != null && raw.length() > MAX_RAW) {
                raw = raw.substring(0, MAX_RAW);
            }
            return new Entry(partition, record.offset(), record.key(), null, raw == null || raw.isBlank() ? null : raw,
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** Hands queued records over in order while their targets have room. */
    private void handOver() {
        while (!backlog.isEmpty()) {
            Entry entry = backlog.peek();
            List<TargetDispatcher> targets = entry.alert() == null ? List.of() : router.destinations(entry.alert());
            if (!targets.stream().allMatch(TargetDispatcher::hasRoom)) {
                return;
            }
            backlog.poll();
            tracker.started(entry.partition(), entry.offset());
            open.incrementAndGet();
            if (entry.alert() == null) {
                unreadable.increment();
                log.warn("Unreadable record at {} offset {}: {}; writing it to the dead-letter topic",
                        entry.partition(), entry.offset(), entry.problem());
                deadLetterUnreadable(entry);
            } else if (finishedIds.containsKey(entry.alert().id())) {
                duplicate.increment();
                log.info("Alert {} (id {}) was delivered already; skipping the copy at {} offset {}",
                        entry.alert().dedupKey(), entry.alert().id(), entry.partition(), entry.offset());
                finished.add(new Finished(entry.partition(), entry.offset()));
            } else {
                apply(cohorts.offer(entry, entry.alert(), clock.instant()));
            }
        }
    }

    /** Sends what the cohort grouper passes on, and finishes what it holds back for good. */
    private void apply(CohortGrouper.Decisions<Entry> decisions) {
        decisions.finish().forEach(this::finish);
        for (CohortGrouper.Send<Entry> send : decisions.send()) {
            AlertEvent alert = send.alert();
            List<TargetDispatcher> targets = router.destinations(alert);
            if (targets.isEmpty()) {
                unrouted.increment();
                log.info("Alert {} ({}, {}) routes to no target", alert.dedupKey(), alert.severity(), alert.kind());
                send.tickets().forEach(this::finish);
                continue;
            }
            routed.increment();
            AtomicInteger remaining = new AtomicInteger(targets.size());
            for (TargetDispatcher target : targets) {
                target.submit(alert, result -> {
                    if (remaining.decrementAndGet() == 0) {
                        finishedIds.put(alert.id(), Boolean.TRUE);
                        send.tickets().forEach(this::finish);
                    }
                });
            }
        }
    }

    private void finish(Entry entry) {
        finished.add(new Finished(entry.partition(), entry.offset()));
    }

    private void deadLetterUnreadable(Entry entry) {
        AlertDeadLetter letter = AlertDeadLetter.unreadable(UUID.randomUUID().toString(), clock.instant(), source,
                entry.key(), entry.raw(), entry.problem());
        deadLetters.publish(letter).whenComplete((ok, failure) -> {
            if (failure == null) {
                finished.add(new Finished(entry.partition(), entry.offset()));
            } else if (running) {
                // Each try is bounded by the producer's delivery timeout, so this does not spin.
                log.warn("Dead letter for the unreadable record at {} offset {} not stored ({}); trying again",
                        entry.partition(), entry.offset(), failure.getMessage());
                deadLetterUnreadable(entry);
            }
        });
    }

    private void commitFinished() {
        Finished done;
        while ((done = finished.poll()) != null) {
            tracker.finished(done.partition(), done.offset());
        }
        open.set(tracker.open() + backlog.size());
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            tracker.committed(offsets);
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // Committed next time round, or read again by the partition's next owner: at least once either way.
            log.warn("Commit of {} failed: {}", offsets, e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commitFinished();
            tracker.forget(partitions);
            backlog.removeIf(entry -> partitions.contains(entry.partition()));
            cohorts.forget(entry -> partitions.contains(entry.partition()));
            log.info("Partitions revoked: {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            joinedOrStopped.countDown();
            log.info("Partitions assigned: {}", partitions);
        }
    }
}
