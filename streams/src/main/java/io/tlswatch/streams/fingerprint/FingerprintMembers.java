package io.tlswatch.streams.fingerprint;

import io.tlswatch.streams.topology.Names;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses and clients seen with each fingerprint, one store entry each ({@value Names#FINGERPRINT_MEMBERS_STORE}):
 * key {@code <ja4> NUL a|c NUL <address or client id>}, value the last time seen (epoch millis).
 */
public final class FingerprintMembers {

    private static final char SEP = '\u0000';

    private final KeyValueStore<String, Long> store;

    public FingerprintMembers(KeyValueStore<String, Long> store) {
        this.store = store;
    }

    /** Records a sighting; true when the member is new to the fingerprint. */
    public boolean seen(String ja4, char kind, String member, Instant time) {
        String key = ja4 + SEP + kind + SEP + member;
        Long last = store.get(key);
        if (last == null || last < time.toEpochMilli()) {
            store.put(key, time.toEpochMilli());
        }
        return last == null;
    }

    /** Forgets the fingerprint's members last seen before {@code cutoff}; returns how many of each kind. */
    public long[] forgetBefore(String ja4, Instant cutoff) {
        long[] forgotten = new long[2];
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Long> it = store.prefixScan(ja4 + SEP, Serdes.String().serializer())) {
            while (it.hasNext()) {
                KeyValue<String, Long> e = it.next();
                if (e.value < cutoff.toEpochMilli()) {
                    old.add(e.key);
                    forgotten[e.key.charAt(ja4.length() + 1) == 'a' ? 0 : 1]++;
                }
            }
        }
        old.forEach(store::delete);
        return forgotten;
    }

    /** Forgets every member of the fingerprint. */
    public void forgetAll(String ja4) {
        forgetBefore(ja4, Instant.MAX);
    }
}
