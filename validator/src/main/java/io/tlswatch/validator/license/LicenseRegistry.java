package io.tlswatch.validator.license;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The license registry as the validator sees it: the compacted topic {@code tlswatch.licenses.v1} read from the
 * beginning into memory, then followed live on a thread of its own (docs/licenses.md, "The registry").
 *
 * <pre>{@code
 * LicenseRegistry registry = new LicenseRegistry(kafka, Topics.LICENSES, meters);
 * registry.start();
 * registry.awaitCaughtUp(Duration.ofSeconds(60));   // readiness: isCaughtUp()
 * registry.byKey(licenseKey) ...
 * registry.close();
 * }</pre>
 *
 * <p>{@link #isCaughtUp()} turns true once every partition has been read up to the end offset it had at
 * start-up, so the server reports ready only with every license that existed then; it turns false again if the
 * follower stops. A change written later (a revocation) is applied as soon as the consumer fetches it, typically
 * well under a second. Lookups are thread-safe and never block.
 *
 * <p>A record that cannot be used (bytes that do not parse, no key, a key that is not the row's license id) is
 * skipped with a warning and counted in {@code tlswatch.licenses.registry.invalid}; the previous row of that
 * license, if any, stays in effect.
 *
 * <p>The partitions are those the topic has at start-up; the registry topic is never meant to gain partitions
 * (that would move keys), and a restart picks up any that were added.
 */
public final class LicenseRegistry implements LicenseLookup, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LicenseRegistry.class);
    /** Bounds how long close waits for a poll to return; a wakeup usually ends it at once. */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MISSING_TOPIC_RETRY = Duration.ofSeconds(2);
    private static final Duration CONSUMER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaSettings settings;
    private final Topic<String, LicenseRecord> topic;
    private final LicenseTable table = new LicenseTable();
    private final Counter invalid;
    private final Counter upserts;
    private final Counter deletes;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Released when caught up, or when the follower stops before that. */
    private final CountDownLatch settled = new CountDownLatch(1);
    /** Notified after each row reaches the table, for {@link #awaitLicense}. */
    private final Object changes = new Object();
    /** Released by close, to end a wait between retries. */
    private final CountDownLatch closeSignal = new CountDownLatch(1);
    private volatile LicenseTopicReader reader;
    private volatile Thread follower;
    private volatile boolean closing;
    private volatile boolean caughtUp;
    private volatile boolean stopped;
    private volatile RuntimeException failure;
    private volatile String progress = "not started";

    public LicenseRegistry(KafkaSettings settings, Topic<String, LicenseRecord> topic, MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topic = Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(meters, "meters");
        this.invalid = Counter.builder("tlswatch.licenses.registry.invalid")
                .description("License records skipped because they could not be used")
                .register(meters);
        this.upserts = records(meters, "upsert");
        this.deletes = records(meters, "delete");
        Gauge.builder("tlswatch.licenses.registry.licenses", table, LicenseTable::size)
                .description("Licenses in the registry")
                .register(meters);
        Gauge.builder("tlswatch.licenses.registry.ready", this, r -> r.isCaughtUp() ? 1 : 0)
                .description("1 once the registry has caught up with its topic and is following it, else 0")
                .register(meters);
    }

    private static Counter records(MeterRegistry meters, String kind) {
        return Counter.builder("tlswatch.licenses.registry.records")
                .description("License records applied to the registry")
                .tag("kind", kind)
                .register(meters);
    }

    /** Starts reading the topic on the registry's own thread; returns at once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the license registry was already started");
        }
        reader = new LicenseTopicReader(settings, topic, "license-registry", table, new Counting());
        Thread thread = new Thread(this::follow, "license-registry");
        // close() stops it; a daemon thread cannot keep a JVM alive whose owner forgot to.
        thread.setDaemon(true);
        follower = thread;
        thread.start();
    }

    /** Whether the registry holds every license that existed at start-up and is still following the topic. */
    public boolean isCaughtUp() {
        return caughtUp && !stopped;
    }

    /**
     * Waits until {@link #isCaughtUp()}.
     *
     * @throws IllegalStateException when not caught up within {@code timeout} (the message says how far it got),
     *                               or the registry stopped or was never started
     */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        if (!started.get()) {
            throw new IllegalStateException("the license registry was not started");
        }
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (isCaughtUp()) {
            return;
        }
        RuntimeException cause = failure;
        if (cause != null) {
            throw new IllegalStateException("the license registry stopped reading " + topic.name()
                    + " before it caught up: " + cause, cause);
        }
        if (stopped) {
            throw new IllegalStateException("the license registry on " + topic.name() + " is closed");
        }
        throw new IllegalStateException("the license registry did not catch up on " + topic.name() + " within "
                + timeout + " (Kafka at " + settings.bootstrapServers() + "): " + progress);
    }

    @Override
    public Optional<LicenseRecord> byKeyHash(String keyHash) {
        return table.byKeyHash(keyHash);
    }

    /**
     * Waits until the license's row satisfies {@code condition} (a change written after start-up, such as a
     * license just issued), at most {@code timeout}.
     *
     * @return whether it did within the timeout
     */
    public boolean awaitLicense(String licenseId, Predicate<LicenseRecord> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (changes) {
            while (!table.byId(licenseId).map(condition::test).orElse(false)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(changes, left);
            }
            return true;
        }
    }

    public Optional<LicenseRecord> byLicenseId(String licenseId) {
        return table.byId(licenseId);
    }

    /** Every license, by license id. */
    public List<LicenseRecord> licenses() {
        return table.all();
    }

    public int size() {
        return table.size();
    }

    /** How many records were skipped because they could not be used. */
    public long invalidRecords() {
        return (long) invalid.count();
    }

    public Topic<String, LicenseRecord> topic() {
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
        LicenseTopicReader current = reader;
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
            log.warn("The license registry's follower did not stop within {}", timeout);
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
                    log.info("License registry reading {} from the beginning ({} partitions)", topic.name(),
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
                log.warn("Closing the license registry's consumer failed: {}", e.toString());
            }
        }
    }

    private void checkCaughtUp(long startNanos) {
        if (!caughtUp && reader.reachedStartEnd()) {
            caughtUp = true;
            settled.countDown();
            log.info("License registry caught up on {}: {} licenses in {} ms ({} records skipped)",
                    topic.name(), table.size(), (System.nanoTime() - startNanos) / 1_000_000,
                    (long) invalid.count());
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
                log.warn("License registry waiting for topic {}: it does not exist at {}", topic.name(),
                        settings.bootstrapServers());
            }
        } catch (TimeoutException e) {
            progress = "no answer from Kafka about " + topic.name() + " within " + METADATA_TIMEOUT;
            if (!reportedMissing) {
                log.warn("License registry waiting for Kafka at {}: {}", settings.bootstrapServers(),
                        e.getMessage());
            }
        }
        return false;
    }

    private void fail(RuntimeException e) {
        failure = e;
        log.error("The license registry stopped following {}; revocations no longer take effect", topic.name(), e);
    }

    /** Counts every record; logs live changes (rare, and they matter), while the catch-up is summarised once. */
    private final class Counting implements LicenseTopicReader.Listener {
        @Override
        public void changing(String licenseId, LicenseRecord row) {
            (row == null ? deletes : upserts).increment();
            if (!caughtUp) {
                return;
            }
            if (row == null) {
                log.info("License {} deleted", licenseId);
            } else {
                log.info("License {} is now {} (row {})", licenseId, row.status().name().toLowerCase(Locale.ROOT),
                        row.id());
            }
        }

        @Override
        public void changed(String licenseId, LicenseRecord row) {
            synchronized (changes) {
                changes.notifyAll();
            }
        }

        @Override
        public void skipped() {
            invalid.increment();
        }
    }
}
