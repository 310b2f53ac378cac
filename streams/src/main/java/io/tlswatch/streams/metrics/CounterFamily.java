package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One counter name with fixed tag keys, a counter per combination of tag values. The known combinations are
 * registered up front, so that a healthy system exports them at 0 rather than no series at all (a dashboard
 * reads "No data" otherwise); a combination not known up front is registered at its first increment.
 * Thread-safe.
 */
final class CounterFamily {

    private final String name;
    private final String description;
    private final List<String> keys;
    private final MeterRegistry registry;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    CounterFamily(String name, String description, List<String> keys, MeterRegistry registry) {
        this.name = name;
        this.description = description;
        this.keys = List.copyOf(keys);
        this.registry = registry;
    }

    /** Registers the counter for these tag values (in the order of the keys) at 0. */
    void register(List<String> values) {
        counter(values);
    }

    void increment(List<String> values, double amount) {
        counter(values).increment(amount);
    }

    private Counter counter(List<String> values) {
        if (values.size() != keys.size()) {
            throw new IllegalArgumentException(name + " takes the tags " + keys + ", given " + values);
        }
        return counters.computeIfAbsent(List.copyOf(values), v -> {
            Counter.Builder builder = Counter.builder(name).description(description);
            for (int i = 0; i < keys.size(); i++) {
                builder.tag(keys.get(i), v.get(i));
            }
            return builder.register(registry);
        });
    }
}
