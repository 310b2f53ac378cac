package io.tlswatch.notifier.consume;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets may be committed: per partition, everything below the oldest record still being delivered.
 * Records finish out of order (one target is slow, another fast); the committed position only moves past a
 * record once it and every record before it are finished. Not thread-safe: the consumer thread owns it.
 */
public final class OffsetTracker {

    private static final class Partition {
        final TreeSet<Long> open = new TreeSet<>();
        long next = -1;
        long committed = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** A record read and handed over for delivery. */
    public void started(TopicPartition partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        p.open.add(offset);
        p.next = Math.max(p.next, offset + 1);
    }

    /** A record that needs nothing more. Unknown partitions (revoked meanwhile) are ignored. */
    public void finished(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.open.remove(offset);
        }
    }

    /** The positions to commit now: per partition whose committable position moved since the last call. */
    public Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long position = p.open.isEmpty() ? p.next : p.open.first();
            if (position > p.committed) {
                out.put(tp, new OffsetAndMetadata(position));
            }
        });
        return out;
    }

    /** Records that the given positions were committed. */
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, o.offset());
            }
        });
    }

    /** Forgets partitions this consumer no longer owns; their open records will be read again by the new owner. */
    public void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }

    /** Records read and not finished, over all partitions. */
    public int open() {
        return partitions.values().stream().mapToInt(p -> p.open.size()).sum();
    }
}
