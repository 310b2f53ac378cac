package io.tlswatch.tlsserver.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;

/**
 * {@code tlswatch.proxy.headers} of one listener, tagged {@code listener} and {@code outcome}: every outcome is
 * registered at start, so a listener that never saw a header shows zeros.
 */
public final class ProxyMeters {

    private final Map<ProxyOutcome, Counter> counters = new EnumMap<>(ProxyOutcome.class);

    public ProxyMeters(MeterRegistry registry, String listener) {
        for (ProxyOutcome outcome : ProxyOutcome.values()) {
            counters.put(outcome, Counter.builder("tlswatch.proxy.headers")
                    .description("Connections by what became of their PROXY protocol header")
                    .tag("listener", listener).tag("outcome", outcome.tag()).register(registry));
        }
    }

    public void count(ProxyOutcome outcome) {
        counters.get(outcome).increment();
    }
}
