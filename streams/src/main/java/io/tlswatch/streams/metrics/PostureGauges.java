package io.tlswatch.streams.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.Posture;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Clients by posture (committed, and pending the hold) and outdated fingerprints held by this instance, as
 * gauges. Counting reads each local store once ({@link PostureCounts#tally}), off the stream threads, on a
 * schedule ({@link #refresh}); a scrape only reads the last counts: it is served on an event loop and must not
 * scan a store.
 */
public final class PostureGauges {

    private final PostureCounts stores;
    private final Map<Posture, AtomicLong> clients = new EnumMap<>(Posture.class);
    private final Map<Posture, AtomicLong> pending = new EnumMap<>(Posture.class);
    private final AtomicLong outdatedFingerprints = new AtomicLong();
    private final RankedGauges longestStuck;
    private final RankedGauges busiestOutdated;
    private final int topStuck;
    private final int topOutdated;
    private final Clock clock;

    /**
     * @param topStuck how many of the longest-stuck clients to export in {@code tlswatch.streams.stuck.longest}
     *                 (the one place a client id is a tag: at most this many series per instance, by design)
     * @param topOutdated how many of the busiest outdated fingerprints to export in
     *                 {@code tlswatch.streams.fingerprints.outdated.top} (a JA4 as a tag, bounded the same way)
     */
    public PostureGauges(PostureCounts stores, MeterRegistry registry, int topStuck, int topOutdated, Clock clock) {
        this.stores = stores;
        this.topStuck = topStuck;
        this.topOutdated = topOutdated;
        this.clock = clock;
        this.longestStuck = new RankedGauges("tlswatch.streams.stuck.longest",
                "The clients stuck or at risk the longest on this instance, by rank: seconds since they became so",
                "seconds", registry);
        this.busiestOutdated = new RankedGauges("tlswatch.streams.fingerprints.outdated.top",
                "The outdated fingerprints with the most handshakes held by this instance, by rank: handshakes seen",
                null, registry);
        for (Posture p : Posture.values()) {
            AtomicLong value = new AtomicLong();
            clients.put(p, value);
            Gauge.builder("tlswatch.streams.clients", value, AtomicLong::get)
                    .description("Clients whose posture this instance holds, by posture")
                    .tag("posture", p.name().toLowerCase(Locale.ROOT)).register(registry);
            AtomicLong judged = new AtomicLong();
            pending.put(p, judged);
            Gauge.builder("tlswatch.streams.clients.pending", judged, AtomicLong::get)
                    .description("Clients whose posture this instance holds with a different judgement pending "
                            + "(waiting out alerts.minHold), by the pending posture")
                    .tag("posture", p.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder("tlswatch.streams.fingerprints.outdated", outdatedFingerprints, AtomicLong::get)
                .description("Fingerprints held by this instance that offer nothing above TLS 1.1")
                .register(registry);
    }

    /** Recounts; keeps the last counts while the stores are not queryable (a rebalance). */
    public void refresh() {
        try {
            PostureCounts.Tally tally = stores.tally(topStuck, topOutdated);
            tally.byPosture().forEach((p, n) -> clients.get(p).set(n));
            tally.byPendingPosture().forEach((p, n) -> pending.get(p).set(n));
            outdatedFingerprints.set(tally.outdatedFingerprints());
            if (topStuck > 0) {
                Map<Tags, Double> rows = new LinkedHashMap<>();
                List<ClientPosture> longest = tally.longestStuck();
                for (int i = 0; i < longest.size(); i++) {
                    ClientPosture c = longest.get(i);
                    double seconds = Duration.between(c.since(), clock.instant()).toMillis() / 1000.0;
                    rows.put(Tags.of("rank", String.valueOf(i + 1), "client_id", c.clientId(),
                            "posture", c.posture().name().toLowerCase(Locale.ROOT)), Math.max(0, seconds));
                }
                longestStuck.set(rows);
            }
            if (topOutdated > 0) {
                Map<Tags, Double> rows = new LinkedHashMap<>();
                List<FingerprintPosture> busiest = tally.busiestOutdated();
                for (int i = 0; i < busiest.size(); i++) {
                    FingerprintPosture f = busiest.get(i);
                    rows.put(Tags.of("rank", String.valueOf(i + 1), "ja4", f.ja4(),
                            "highest_version", String.valueOf(f.highestOfferedVersion())),
                            (double) (f.failures() + f.successes()));
                }
                busiestOutdated.set(rows);
            }
        } catch (InvalidStateStoreException e) {
            // Counted again on the next round, once the stores are back.
        }
    }
}
