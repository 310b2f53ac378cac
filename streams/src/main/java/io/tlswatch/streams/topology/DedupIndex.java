package io.tlswatch.streams.topology;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The dedup step's time index ({@code Names.DEDUP_DUE_STORE}): one entry per remembered event id, keyed by its
 * window time then id, so that forgetting reads only the entries that are due, oldest first. The index says
 * nothing the ids store does not: it is not logged (that would double the changelog records per event) and is
 * rebuilt from the ids store when a task starts. An entry whose id has since been remembered at a newer time, or
 * was never committed, is stale: expiring it forgets only the index entry.
 */
final class DedupIndex {

    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<Bytes, byte[]> entries;

    DedupIndex(KeyValueStore<Bytes, byte[]> entries) {
        this.entries = entries;
    }

    void add(long time, String id) {
        entries.put(key(time, id), NOTHING);
    }

    /** Indexes every id of {@code ids} (idempotent: an entry already there is written again unchanged). */
    long rebuild(KeyValueStore<String, Long> ids) {
        long count = 0;
        try (KeyValueIterator<String, Long> all = ids.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                add(entry.value, entry.key);
                count++;
            }
        }
        return count;
    }

    /**
     * Forgets the ids remembered at or before {@code upTo}, with their index entries, reading only those.
     *
     * @return how many index entries were removed
     */
    long expire(long upTo, KeyValueStore<String, Long> ids) {
        long removed = 0;
        // RocksDB iterators read a snapshot, so deleting behind the cursor is safe and keeps memory flat.
        try (KeyValueIterator<Bytes, byte[]> due = entries.range(key(Long.MIN_VALUE, ""), key(upTo + 1, ""))) {
            while (due.hasNext()) {
                Bytes key = due.next().key;
                String id = id(key);
                Long remembered = ids.get(id);
                if (remembered != null && remembered == time(key)) {
                    ids.delete(id);
                }
                entries.delete(key);
                removed++;
            }
        }
        return removed;
    }

    /** Big-endian with the sign bit flipped, so that byte order is time order for any {@code long}. */
    static Bytes key(long time, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES + idBytes.length).putLong(time ^ Long.MIN_VALUE)
                .put(idBytes).array());
    }

    static long time(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong() ^ Long.MIN_VALUE;
    }

    static String id(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, Long.BYTES, bytes.length - Long.BYTES, StandardCharsets.UTF_8);
    }
}
