package io.tlswatch.validator.token;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Remembers DPoP proof ids until the proofs expire, so that a captured proof cannot be replayed.
 *
 * <p>Bounded: at most {@code capacity} entries, each removed once its time has passed. When the cache is full
 * of entries that are all still live, {@link #record} answers {@link Outcome#FULL} and the proof is refused:
 * forgetting an id early to make room would let that proof be replayed, and a full cache only happens under
 * a flood of proofs (an attack, or a capacity set too low for the traffic), when refusing is the safe side.
 * Memory: about 200 bytes an entry with 43-character keys, so the default 100,000 entries take about 20 MB.
 *
 * <p>The cache is per process: replicas behind one hostname do not share it (docs/tokens.md, "Replay").
 * Thread-safe; each call is O(log n) under one lock.
 */
public final class ReplayCache {

    public static final int DEFAULT_CAPACITY = 100_000;

    /** What {@link #record} found. */
    public enum Outcome {
        /** Not seen before: now remembered. */
        FRESH,
        /** Seen before, and still remembered: a replay. */
        REPLAYED,
        /** Not seen, but there is no room to remember it. */
        FULL
    }

    private final int capacity;
    private final Clock clock;
    private final Map<String, Instant> expiries = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>();

    public ReplayCache(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("replay cache capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Remembers {@code key} until {@code expiresAt}, unless it is already remembered.
     *
     * @param key       the proof's identity; callers pass a fixed-size digest so that memory stays bounded
     * @param expiresAt when the proof can no longer be accepted anyway
     */
    public synchronized Outcome record(String key, Instant expiresAt) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant now = clock.instant();
        evictExpired(now);
        Instant remembered = expiries.get(key);
        if (remembered != null) {
            return Outcome.REPLAYED;
        }
        if (!expiresAt.isAfter(now)) {
            // Already unacceptable; nothing to remember. The verifier refuses such proofs before asking.
            return Outcome.FRESH;
        }
        if (expiries.size() >= capacity) {
            return Outcome.FULL;
        }
        expiries.put(key, expiresAt);
        byExpiry.add(new Entry(expiresAt, key));
        return Outcome.FRESH;
    }

    /** Entries currently remembered, expired ones not yet evicted included. */
    public synchronized int size() {
        return expiries.size();
    }

    public int capacity() {
        return capacity;
    }

    private void evictExpired(Instant now) {
        Entry head;
        while ((head = byExpiry.peek()) != null && !head.expiresAt().isAfter(now)) {
            byExpiry.poll();
            expiries.remove(head.key(), head.expiresAt());
        }
    }

    private record Entry(Instant expiresAt, String key) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            return expiresAt.compareTo(other.expiresAt);
        }
    }
}
