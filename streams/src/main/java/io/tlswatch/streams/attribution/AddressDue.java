package io.tlswatch.streams.attribution;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A due-time index over a store keyed by remote address (zero-padded due time and address, to the address), so
 * that a sweep reads only the addresses whose entry time alone may change. An address has an entry at or before
 * its due time, not always at it: a lesson that moves the due time later leaves the entry where it is (no write
 * per event), and the sweep that takes it early finds the address not due yet and schedules it again.
 */
final class AddressDue {

    private static final int WIDTH = 19;

    private final KeyValueStore<String, String> entries;

    AddressDue(KeyValueStore<String, String> entries) {
        this.entries = entries;
    }

    void schedule(Instant due, String address) {
        entries.put(key(due.toEpochMilli(), address), address);
    }

    /** Removes the entries due at or before {@code now} and returns their addresses, each once, in due order. */
    Set<String> takeDue(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = entries.range(key(0, ""), padded(now + 1))) {
            while (it.hasNext()) {
                due.add(it.next());
            }
        }
        Set<String> addresses = new LinkedHashSet<>();
        for (KeyValue<String, String> entry : due) {
            entries.delete(entry.key);
            addresses.add(entry.value);
        }
        return addresses;
    }

    boolean isEmpty() {
        try (KeyValueIterator<String, String> it = entries.all()) {
            return !it.hasNext();
        }
    }

    /** Sorts by due time as strings: epoch millis, zero-padded to a fixed width. */
    static String key(long due, String address) {
        return padded(due) + "|" + address;
    }

    private static String padded(long millis) {
        String digits = Long.toString(millis);
        return "0".repeat(Math.max(0, WIDTH - digits.length())) + digits;
    }
}
