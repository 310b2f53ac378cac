package io.tlswatch.validator.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Lets one thing happen at most once per window for each key, for at most {@code capacity} keys at a time: a
 * key is remembered for a window after it was let through. When {@code capacity} keys are remembered, a new key
 * is refused until the oldest is forgotten, rather than an old key forgotten early. So memory stays bounded and
 * so does what is let through: at most {@code capacity} per window, however many keys a flood brings.
 * Thread-safe.
 */
public final class OncePerWindow<K> {

    /** What {@link #tryAcquire} decided. */
    public enum Outcome {
        /** First time for this key within the window: go ahead. */
        ALLOWED,
        /** This key was let through less than a window ago. */
        REPEATED,
        /** A new key, but {@code capacity} keys are already remembered. */
        FULL
    }

    private final Duration window;
    private final int capacity;
    private final Clock clock;
    /** When each remembered key was let through, oldest first (a key is re-inserted when let through again). */
    private final LinkedHashMap<K, Instant> allowedAt = new LinkedHashMap<>();

    public OncePerWindow(Duration window, int capacity, Clock clock) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.window = window;
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized Outcome tryAcquire(K key) {
        Objects.requireNonNull(key, "key");
        Instant now = clock.instant();
        forgetExpired(now);
        if (allowedAt.containsKey(key)) {
            return Outcome.REPEATED;
        }
        if (allowedAt.size() >= capacity) {
            return Outcome.FULL;
        }
        allowedAt.put(key, now);
        return Outcome.ALLOWED;
    }

    /** Keys remembered now. */
    public synchronized int size() {
        forgetExpired(clock.instant());
        return allowedAt.size();
    }

    public Duration window() {
        return window;
    }

    public int capacity() {
        return capacity;
    }

    /** Entries are in the order they were let through, so the expired ones are at the head. */
    private void forgetExpired(Instant now) {
        Instant cutoff = now.minus(window);
        Iterator<Map.Entry<K, Instant>> entries = allowedAt.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<K, Instant> entry = entries.next();
            if (entry.getValue().isAfter(cutoff)) {
                return;
            }
            entries.remove();
        }
    }
}
