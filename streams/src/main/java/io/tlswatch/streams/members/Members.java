package io.tlswatch.streams.members;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who was seen with each key (the addresses and clients of a fingerprint, of a license), one store entry each,
 * so that a key seen with thousands costs no more per event than one seen with a few: store key
 * {@code <key> NUL <kind> NUL <member>}, value the last time seen (epoch millis). Kinds are single characters
 * ({@link #ADDRESS}, {@link #CLIENT}, {@link #FINGERPRINT}).
 */
public final class Members {

    public static final char ADDRESS = 'a';
    public static final char CLIENT = 'c';
    public static final char FINGERPRINT = 'j';

    private static final char SEP = '\u0000';

    private final KeyValueStore<String, Long> store;

    public Members(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** Records a sighting; true when the member is new to the key. */
    public boolean seen(String owner, char kind, String member, Instant time) {
        String key = owner + SEP + kind + SEP + member;
        Long last = store.get(key);
        if (last == null || last < time.toEpochMilli()) {
            store.put(key, time.toEpochMilli());
        }
        return last == null;
    }

    /** Forgets the key's members last seen before {@code cutoff}; returns how many of each kind. */
    public Map<Character, Long> forgetBefore(String owner, Instant cutoff) {
        Map<Character, Long> forgotten = new HashMap<>();
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = store.prefixScan(owner + SEP, Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, Long> e = it.next();
                if (e.value < cutoff.toEpochMilli()) {
                    old.add(e.key);
                    forgotten.merge(e.key.charAt(owner.length() + 1), 1L, Long::sum);
                }
            }
        }
        old.forEach(store::delete);
        return forgotten;
    }

    /** The members of a kind seen since {@code since}, sorted, at most {@code max}. */
    public List<String> since(String owner, char kind, Instant since, int max) {
        List<String> found = new ArrayList<>();
        String prefix = owner + SEP + kind + SEP;
        try (KeyValueIterator<String, Long> it = store.prefixScan(prefix, Serdes.String().serializer())) {
            while (it.hasNext() && found.size() < max) {
                KeyValue<String, Long> e = it.next();
                if (e.value >= since.toEpochMilli()) {
                    found.add(e.key.substring(prefix.length()));
                }
            }
        }
        return found;
    }

    /** Forgets every member of the key. */
    public void forgetAll(String owner) {
        forgetBefore(owner, Instant.MAX);
    }
}
