package io.tlswatch.validator.policy;

import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.table.CompactedTable;
import io.tlswatch.validator.table.TableListener;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * The policies of {@code tlswatch.policies.v1}, held in memory and followed live: a policy written to the topic
 * applies to the next check of every license naming it, on every replica, without a restart. The validator is
 * ready only once this registry has caught up, so no check is answered with the defaults for want of a policy
 * that is on the topic. The meters are the table's, tagged {@code table=policies} (docs/metrics.md).
 */
public final class PolicyRegistry implements PolicyLookup, AutoCloseable {

    /** The table's name: its thread, its consumer's client id ({@code table-policies}) and its meters' tag. */
    public static final String NAME = "policies";

    private final CompactedTable<PolicyRecord> table;

    public PolicyRegistry(KafkaSettings settings, MeterRegistry meters) {
        this(new CompactedTable<>(settings, settings.topics().named(Topics.POLICIES), NAME, meters, TableListener.none()));
    }

    public PolicyRegistry(CompactedTable<PolicyRecord> table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Starts following the topic on the table's own thread; returns at once. */
    public void start() {
        table.start();
    }

    /** @throws IllegalStateException when the registry has not caught up within {@code timeout} */
    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        table.awaitCaughtUp(timeout);
    }

    /** Whether every policy on the topic when the registry started has been read, and it follows the topic. */
    public boolean isCaughtUp() {
        return table.isCaughtUp();
    }

    @Override
    public Optional<PolicyRecord> byId(String policyId) {
        return table.get(policyId);
    }

    /** Every policy held now, in no particular order. */
    public Collection<PolicyRecord> all() {
        return table.values();
    }

    public int size() {
        return table.size();
    }

    /** The table itself, for what follows policies by offset (the admin API waits for its own writes). */
    public CompactedTable<PolicyRecord> table() {
        return table;
    }

    @Override
    public void close() {
        table.close();
    }

    /** @return whether the follower stopped within {@code timeout} */
    public boolean close(Duration timeout) {
        return table.close(timeout);
    }
}
