package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.common.event.Posture;
import io.tlswatch.streams.query.LocalStores;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients by posture and outdated fingerprints held by this instance, as gauges. Counting scans the local
 * stores, so it runs on a schedule ({@link #refresh}) and a scrape only reads the last counts: a scrape is
 * served on an event loop and must not scan a store.
 */
public final class PostureGauges {

    private final LocalStores stores;
    private final Map<Posture, AtomicLong> clients = new EnumMap<>(Posture.class);
    private final AtomicLong outdatedFingerprints = new AtomicLong();

    public PostureGauges(LocalStores stores, MeterRegistry registry) {
        this.stores = stores;
        for (Posture p : Posture.values()) {
            AtomicLong value = new AtomicLong();
            clients.put(p, value);
            Gauge.builder("tlswatch.streams.clients", value, AtomicLong::get)
                    .description("Clients whose posture this instance holds, by posture")
                    .tag("posture", p.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder("tlswatch.streams.fingerprints.outdated", outdatedFingerprints, AtomicLong::get)
                .description("Fingerprints held by this instance that offer nothing above TLS 1.1")
                .register(registry);
    }

    /** Recounts; keeps the last counts while the stores are not queryable (a rebalance). */
    public void refresh() {
        try {
            stores.countByPosture().forEach((p, n) -> clients.get(p).set(n));
            outdatedFingerprints.set(stores.outdatedFingerprints());
        } catch (InvalidStateStoreException e) {
            // Counted again on the next round, once the stores are back.
        }
    }
}
