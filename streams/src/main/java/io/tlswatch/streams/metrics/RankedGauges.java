package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded family of gauges whose label sets change from one recount to the next (a top-N by rank). A label
 * set that stays keeps its gauge and only its value changes; only label sets that left are removed and only new
 * ones added. Micrometer's {@code MultiGauge} with overwrite removes and re-adds every row instead, and a
 * Prometheus scrape racing that sees a row twice and fails the whole scrape (micrometer#6851).
 */
final class RankedGauges {

    private final String name;
    private final String description;
    private final String baseUnit;
    private final MeterRegistry registry;
    private final Map<Tags, AtomicLong> values = new HashMap<>();
    private final Map<Tags, Gauge> gauges = new HashMap<>();

    /** @param baseUnit null for none */
    RankedGauges(String name, String description, String baseUnit, MeterRegistry registry) {
        this.name = name;
        this.description = description;
        this.baseUnit = baseUnit;
        this.registry = registry;
    }

    /** Makes the family exactly these rows. Called from one thread at a time (the recount schedule). */
    synchronized void set(Map<Tags, Double> rows) {
        gauges.entrySet().removeIf(e -> {
            if (rows.containsKey(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            values.remove(e.getKey());
            return true;
        });
        rows.forEach((tags, value) -> {
            AtomicLong bits = values.get(tags);
            if (bits == null) {
                AtomicLong fresh = new AtomicLong(Double.doubleToLongBits(value));
                values.put(tags, fresh);
                gauges.put(tags, Gauge.builder(name, fresh, b -> Double.longBitsToDouble(b.get()))
                        .description(description).baseUnit(baseUnit).tags(tags).register(registry));
            } else {
                bits.set(Double.doubleToLongBits(value));
            }
        });
    }
}
