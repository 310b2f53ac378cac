package io.tlswatch.validator.table;

import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Follows one compacted topic on a thread of its own: reads it from the beginning into a {@link TableSink}, then
 * keeps reading live changes until closed.
 *
 * <p>{@link #isCaughtUp()} turns true once every partition has been read up to the end offset it had at start-up,
 * so its owner reports ready only with every row that existed then; it turns false again if the follower stops.
 * A missing topic or a silent Kafka is retried (and logged once) until the owner's wait for readiness gives up.
 *
 * @param <V> the row type
 */
public final class TableFollower<V extends Event> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TableFollower.class);
    /** Bounds how long close waits for a poll to return; a wakeup usually ends it at once. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MISSING_TOPIC_RETRY = Duration.ofSeconds(2);
    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaSettings settings;
    private final Topic<String, V> topic;
    private final String name;
    private final String what;
    private final TableSink<V> sink;
    private final Supplier<String> summary;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Released when caught up, or when the follower stops before that. */
    private final CountDownLatch settled = new CountDownLatch(1);
    /** Released by close, to end a wait between retries. */
    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private volatile TableReader<V> reader;
    private volatile Thread follower;
    private volatile boolean closing;
    private volatile boolean caughtUp;
    private volatile boolean stopped;
    private volatile RuntimeException failure;
    private volatile String progress = "not started";

    /**
     * @param name    the thread's name and the consumer's client id, e.g. {@code license-registry}
     * @param what    what the table is, for log lines and errors, e.g. {@code license registry}
     * @param summary what the table holds, for the caught-up log line, e.g. {@code 12 licenses}
     */
    public TableFollower(KafkaSettings settings, Topic<String, V> topic, String name, String what,
                         TableSink<V> sink, Supplier<String> summary) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.name = Objects.requireNonNull(name, "name");
        this.what = Objects.requireNonNull(what, "what");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.summary = Objects.requireNonNull(summary, "summary");
    }

    /** Starts reading the topic on the follower's own thread; returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the " + what + " was already started");
        }
        reader = new TableReader<>(settings, topic, name, sink);
        Thread thread = new Thread(this::follow, name);
        // close() stops it; a daemon thread cannot keep a JVM alive whose owner forgot to.
        thread.setDaemon(true);
        follower = thread;
        thread.start();
    }

    /** Whether every row that existed at start-up has been read and the topic is still being followed. */
    public boolean isCaughtUp() {
        return caughtUp && !stopped;
    }

    /** Whether the initial read is over: rows applied from now on are live changes. */
    public boolean pastStartEnd() {
        return caughtUp;
    }

    /**
     * Waits until {@link #isCaughtUp()}.
     *
     * @throws IllegalStateException when not caught up within {@code timeout} (the message says how far it got),
     *                               or the follower stopped or was never started
     */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        if (!started.get()) {
            throw new IllegalStateException("the " + what + " was not started");
        }
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (isCaughtUp()) {
            return;
        }
        RuntimeException cause = failure;
        if (cause != null) {
            throw new IllegalStateException("the " + what + " stopped reading " + topic.name()
                    + " before it caught up: " + cause, cause);
        }
        if (stopped) {
            throw new IllegalStateException("the " + what + " on " + topic.name() + " is closed");
        }
        throw new IllegalStateException("the " + what + " did not catch up on " + topic.name() + " within "
                + timeout + " (Kafka at " + settings.bootstrapServers() + "): " + progress);
    }

    public Topic<String, V> topic() {
        return topic;
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * Stops following the topic and waits up to {@code timeout} for the follower to end.
     *
     * @return whether it ended in time
     */
    public boolean close(Duration timeout) {
        closing = true;
        closeSignal.countDown();
        TableReader<V> current = reader;
        if (current != null) {
            current.wakeup();
        }
        Thread thread = follower;
        if (thread == null) {
            return true;
        }
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The {}'s follower did not stop within {}", what, timeout);
            return false;
        }
        return true;
    }

    private void follow() {
        long startNanos = System.nanoTime();
        boolean reportedMissing = false;
        try {
            while (!closing) {
                if (!reader.assigned()) {
                    if (!assign(reportedMissing)) {
                        reportedMissing = true;
                        closeSignal.await(MISSING_TOPIC_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                        continue;
                    }
                    log.info("{} reading {} from the beginning ({} partitions)", capitalised(), topic.name(),
                            reader.partitions());
                    progress = reader.progress();
                }
                checkCaughtUp(startNanos);
                reader.poll(POLL_TIMEOUT);
                progress = reader.progress();
            }
        } catch (WakeupException e) {
            if (!closing) {
                fail(e);
            }
        } catch (InterruptException e) {
            // Kafka's unchecked form of an interrupt: keep the flag for whoever owns the thread.
            Thread.currentThread().interrupt();
            if (!closing) {
                fail(e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!closing) {
                fail(new IllegalStateException("interrupted", e));
            }
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            stopped = true;
            settled.countDown();
            try {
                reader.close(CONSUMER_CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                log.warn("Closing the {}'s consumer failed: {}", what, e.toString());
            }
        }
    }

    private void checkCaughtUp(long startNanos) {
        if (!caughtUp && reader.reachedStartEnd()) {
            caughtUp = true;
            settled.countDown();
            log.info("{} caught up on {}: {} in {} ms", capitalised(), topic.name(), summary.get(),
                    (System.nanoTime() - startNanos) / 1_000_000);
        }
    }

    /** Assigns the partitions; {@code false} (after logging once) while the topic is missing or Kafka silent. */
    private boolean assign(boolean reportedMissing) {
        try {
            if (reader.assign(METADATA_TIMEOUT)) {
                return true;
            }
            progress = "topic " + topic.name() + " does not exist";
            if (!reportedMissing) {
                log.warn("{} waiting for topic {}: it does not exist at {}", capitalised(), topic.name(),
                        settings.bootstrapServers());
            }
        } catch (TimeoutException e) {
            progress = "no answer from Kafka about " + topic.name() + " within " + METADATA_TIMEOUT;
            if (!reportedMissing) {
                log.warn("{} waiting for Kafka at {}: {}", capitalised(), settings.bootstrapServers(),
                        e.getMessage());
            }
        }
        return false;
    }

    private void fail(RuntimeException e) {
        failure = e;
        log.error("The {} stopped following {}; changes written from now on do not take effect", what,
                topic.name(), e);
    }

    private String capitalised() {
        return what.substring(0, 1).toUpperCase(Locale.ROOT) + what.substring(1);
    }
}
