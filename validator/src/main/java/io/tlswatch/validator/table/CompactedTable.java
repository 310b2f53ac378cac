package io.tlswatch.validator.table;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A compacted topic held in memory by key and followed live: the latest row of every key, as the topic says
 * (docs/architecture.md, "Tables"). Reads are thread-safe and never block; each sees either the previous or the new
 * row of a key.
 *
 * <pre>{@code
 * CompactedTable<PolicyRecord> policies = new CompactedTable<>(kafka, Topics.POLICIES, "policies", meters,
 *         TableListener.none());
 * policies.start();
 * policies.awaitCaughtUp(Duration.ofSeconds(60));   // readiness: isCaughtUp()
 * policies.get(policyId) ...
 * policies.close(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Meters, tagged {@code table=<name>} and registered at construction: {@code tlswatch.table.rows} (gauge),
 * {@code tlswatch.table.records{kind=upsert|delete}}, {@code tlswatch.table.invalid} (records skipped because they
 * could not be used) and {@code tlswatch.table.ready} (1 once caught up and following).
 *
 * @param <V> the row type
 */
public final class CompactedTable<V extends Event> implements AutoCloseable {

    private final Map<String, V> rows = new ConcurrentHashMap<>();
    private final TableListener<V> listener;
    private final TableFollower<V> follower;
    private final Counter upserts;
    private final Counter deletes;
    private final Counter invalid;
    /** The offset of the last record applied, per partition; guarded by itself, notified on each change. */
    private final Map<Integer, Long> applied = new ConcurrentHashMap<>();

    /**
     * @param name the table's name: the follower thread's, the consumer's client id ({@code table-<name>}) and the
     *             meters' {@code table} tag
     */
    public CompactedTable(KafkaSettings settings, Topic<String, V> topic, String name, MeterRegistry meters,
                          TableListener<V> listener) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(meters, "meters");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.follower = new TableFollower<>(settings, topic, "table-" + name, name + " table", new Sink(),
                () -> rows.size() + " rows");
        this.upserts = Counter.builder("tlswatch.table.records").description("Records applied to a table")
                .tag("table", name).tag("kind", "upsert").register(meters);
        this.deletes = Counter.builder("tlswatch.table.records").description("Records applied to a table")
                .tag("table", name).tag("kind", "delete").register(meters);
        this.invalid = Counter.builder("tlswatch.table.invalid")
                .description("Records of a table skipped because they could not be used")
                .tag("table", name).register(meters);
        Gauge.builder("tlswatch.table.rows", rows, Map::size).description("Rows in a table")
                .tag("table", name).register(meters);
        Gauge.builder("tlswatch.table.ready", follower, f -> f.isCaughtUp() ? 1 : 0)
                .description("1 once a table has caught up with its topic and is following it, else 0")
                .tag("table", name).register(meters);
    }

    /** Starts reading the topic on the table's own thread; returns at once. */
    public void start() {
        follower.start();
    }

    /** @see TableFollower#awaitCaughtUp */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        follower.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return follower.isCaughtUp();
    }

    public Optional<V> get(String key) {
        return Optional.ofNullable(rows.get(key));
    }

    /** A snapshot of every row, in no particular order. */
    public Collection<V> values() {
        return List.copyOf(rows.values());
    }

    public int size() {
        return rows.size();
    }

    public Topic<String, V> topic() {
        return follower.topic();
    }

    /**
     * Waits until the record at {@code partition}/{@code offset} (one this process wrote, say) has been applied,
     * so that what the table says includes it.
     *
     * @return whether it was within {@code timeout}
     */
    public boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (applied) {
            while (applied.getOrDefault(partition, -1L) < offset) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(applied, left);
            }
            return true;
        }
    }

    @Override
    public void close() {
        close(TableFollower.DEFAULT_CLOSE_TIMEOUT);
    }

    public boolean close(Duration timeout) {
        return follower.close(timeout);
    }

    private void appliedUpTo(int partition, long offset) {
        synchronized (applied) {
            applied.merge(partition, offset, Math::max);
            applied.notifyAll();
        }
    }

    private final class Sink implements TableSink<V> {
        @Override
        public void apply(String key, V row, int partition, long offset) {
            if (row == null) {
                rows.remove(key);
                deletes.increment();
            } else {
                rows.put(key, row);
                upserts.increment();
            }
            listener.applied(key, row, partition, offset);
            appliedUpTo(partition, offset);
        }

        @Override
        public void skipped(int partition, long offset) {
            invalid.increment();
            appliedUpTo(partition, offset);
        }
    }
}
