package io.tlswatch.validator.license;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.validator.table.TableFollower;
import io.tlswatch.validator.table.TableSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
    public static final Duration DEFAULT_CLOSE_TIMEOUT = TableFollower.DEFAULT_CLOSE_TIMEOUT;

    private final Topic<String, LicenseRecord> topic;
    private final LicenseTable table = new LicenseTable();
    private final Counter invalid;
    private final Counter upserts;
    private final Counter deletes;
    private final TableFollower<LicenseRecord> follower;
    /** Notified after each row reaches the table, for {@link #awaitLicense}. */
    private final Object changes = new Object();

    public LicenseRegistry(KafkaSettings settings, Topic<String, LicenseRecord> topic, MeterRegistry meters) {
        Objects.requireNonNull(settings, "settings");
        this.topic = Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(meters, "meters");
        this.invalid = Counter.builder("tlswatch.licenses.registry.invalid")
                .description("License records skipped because they could not be used")
                .register(meters);
        this.upserts = records(meters, "upsert");
        this.deletes = records(meters, "delete");
        this.follower = new TableFollower<>(settings, topic, "license-registry", "license registry", new Sink(),
                () -> table.size() + " licenses (" + (long) invalid.count() + " records skipped)");
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
        follower.start();
    }

    /** Whether the registry holds every license that existed at start-up and is still following the topic. */
    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    /**
     * Waits until {@link #isCaughtUp()}.
     *
     * @throws IllegalStateException when not caught up within {@code timeout} (the message says how far it got),
     *                               or the registry stopped or was never started
     */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        follower.awaitCaughtUp(timeout);
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
        return follower.close(timeout);
    }

    /** Counts every record; logs live changes (rare, and they matter), while the catch-up is summarised once. */
    private final class Sink implements TableSink<LicenseRecord> {
        private final TableSink<LicenseRecord> into = table.sink();

        @Override
        public void apply(String licenseId, LicenseRecord row, int partition, long offset) {
            (row == null ? deletes : upserts).increment();
            if (follower.pastStartEnd()) {
                if (row == null) {
                    log.info("License {} deleted", licenseId);
                } else {
                    log.info("License {} is now {} (row {})", licenseId,
                            row.status().name().toLowerCase(Locale.ROOT), row.id());
                }
            }
            into.apply(licenseId, row, partition, offset);
            synchronized (changes) {
                changes.notifyAll();
            }
        }

        @Override
        public void skipped(int partition, long offset) {
            invalid.increment();
        }
    }
}
