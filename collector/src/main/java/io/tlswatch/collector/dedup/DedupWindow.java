package io.tlswatch.collector.dedup;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report ids written within the last {@code window}, at most {@code capacity} of them (the oldest go first),
 * so that a client's retry of a report Kafka already acknowledged is acknowledged again and not written twice.
 * An id is remembered only once Kafka acknowledged it: a report whose write failed must be writable on retry.
 * Kept in memory, per collector process; downstream consumers still deduplicate on {@code reportId} across
 * restarts and replicas. Thread-safe.
 */
public final class DedupWindow {

    private final long windowNanos;
    private final int capacity;
    /** Insertion-ordered: the first entry is always the oldest. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    public DedupWindow(Duration window, int capacity) {
        if (window.isNegative() || window.isZero() || capacity < 1) {
            throw new IllegalArgumentException("window and capacity must be positive");
        }
        this.windowNanos = window.toNanos();
        this.capacity = capacity;
    }

    /** Whether {@code key} was written within the window before {@code nowNanos}. */
    public synchronized boolean contains(String key, long nowNanos) {
        expire(nowNanos);
        return seen.containsKey(key);
    }

    /** Remembers that {@code key} was written (acknowledged by Kafka) at {@code nowNanos}. */
    public synchronized void remember(String key, long nowNanos) {
        expire(nowNanos);
        seen.remove(key);
        seen.put(key, nowNanos);
        while (seen.size() > capacity) {
            Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    public synchronized int size() {
        return seen.size();
    }

    private void expire(long nowNanos) {
        Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator();
        while (it.hasNext()) {
            if (nowNanos - it.next().getValue() < windowNanos) {
                return;
            }
            it.remove();
        }
    }
}
