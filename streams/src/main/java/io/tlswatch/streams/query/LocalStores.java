package io.tlswatch.streams.query;

import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.event.TlsVersions;
import io.tlswatch.streams.metrics.PostureCounts;
import io.tlswatch.streams.names.Names;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Answers from the posture stores this instance holds (its active partitions). Reads block briefly on the
 * local store: call from a query thread, never an event loop. Throws
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the stores are not queryable
 * (starting, rebalancing).
 */
public final class LocalStores implements PostureCounts {

    private final KafkaStreams streams;

    public LocalStores(KafkaStreams streams) {
        this.streams = streams;
    }

    private ReadOnlyKeyValueStore<String, ClientPosture> clientStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(Names.CLIENT_POSTURE_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    private ReadOnlyKeyValueStore<String, FingerprintPosture> fingerprintStore() {
        return streams.store(StoreQueryParameters.fromNameAndType(Names.FINGERPRINT_POSTURE_STORE,
                QueryableStoreTypes.keyValueStore()));
    }

    public ClientPosture client(String clientId) {
        return clientStore().get(clientId);
    }

    public Answers.ClientList clients(ClientFilter filter, int limit) {
        List<ClientPosture> matching = matching(clientStore(), filter::matches,
                Comparator.comparing(ClientPosture::clientId), limit + 1);
        return new Answers.ClientList(matching.subList(0, Math.min(limit, matching.size())), matching.size() > limit);
    }

    public Answers.FingerprintList fingerprints(Boolean outdated, int limit) {
        List<FingerprintPosture> matching = matching(fingerprintStore(),
                r -> outdated == null || r.outdated() == outdated, Comparator.comparing(FingerprintPosture::ja4),
                limit + 1);
        return new Answers.FingerprintList(matching.subList(0, Math.min(limit, matching.size())),
                matching.size() > limit);
    }

    public Answers.WhatIf whatIf(String minVersion, int limit) {
        List<Answers.AffectedClient> clients = new ArrayList<>();
        long clientCount = 0;
        try (KeyValueIterator<String, ClientPosture> it = clientStore().all()) {
            while (it.hasNext()) {
                ClientPosture row = it.next().value;
                String offered = TlsVersions.max(row.highestOfferedVersion(), row.highestNegotiatedVersion());
                if (TlsVersions.below(offered, minVersion)) {
                    clientCount++;
                    clients.add(new Answers.AffectedClient(row.clientId(), offered, row.posture(), row.ja4s()));
                }
            }
        }
        List<Answers.AffectedFingerprint> fingerprints = new ArrayList<>();
        long fingerprintCount = 0;
        try (KeyValueIterator<String, FingerprintPosture> it = fingerprintStore().all()) {
            while (it.hasNext()) {
                FingerprintPosture row = it.next().value;
                if (TlsVersions.below(row.highestOfferedVersion(), minVersion)) {
                    fingerprintCount++;
                    fingerprints.add(new Answers.AffectedFingerprint(row.ja4(), row.highestOfferedVersion(),
                            row.distinctClients(), row.distinctAddresses()));
                }
            }
        }
        return new Answers.WhatIf(minVersion, clientCount, fingerprintCount,
                clients.stream().sorted(Comparator.comparing(Answers.AffectedClient::clientId)).limit(limit).toList(),
                fingerprints.stream().sorted(Comparator.comparing(Answers.AffectedFingerprint::ja4)).limit(limit)
                        .toList());
    }

    private static final Comparator<ClientPosture> LONGEST_STUCK = Comparator.comparing(ClientPosture::since)
            .thenComparing(ClientPosture::clientId);
    private static final Comparator<FingerprintPosture> BUSIEST = Comparator
            .comparingLong((FingerprintPosture f) -> f.failures() + f.successes()).reversed()
            .thenComparing(FingerprintPosture::ja4);

    /**
     * Clients by posture and by pending posture (judged, waiting out {@code alerts.minHold}), the clients stuck or
     * at risk the longest (earliest {@code since}), outdated fingerprints and the busiest of them (most handshakes,
     * ties by JA4), on this instance: one pass over the client rows and one over the fingerprint rows.
     */
    @Override
    public Tally tally(int topStuck, int topOutdated) {
        Map<Posture, Long> byPosture = zeroes();
        Map<Posture, Long> byPending = zeroes();
        Top<ClientPosture> stuck = new Top<>(LONGEST_STUCK, topStuck);
        try (KeyValueIterator<String, ClientPosture> it = clientStore().all()) {
            while (it.hasNext()) {
                ClientPosture row = it.next().value;
                if (row == null) {
                    continue;
                }
                byPosture.merge(row.posture(), 1L, Long::sum);
                if (row.pendingPosture() != null) {
                    byPending.merge(row.pendingPosture(), 1L, Long::sum);
                }
                if (row.posture() == Posture.STUCK || row.posture() == Posture.AT_RISK) {
                    stuck.offer(row);
                }
            }
        }
        long outdated = 0;
        Top<FingerprintPosture> busiest = new Top<>(BUSIEST, topOutdated);
        try (KeyValueIterator<String, FingerprintPosture> it = fingerprintStore().all()) {
            while (it.hasNext()) {
                FingerprintPosture row = it.next().value;
                if (row != null && row.outdated()) {
                    outdated++;
                    busiest.offer(row);
                }
            }
        }
        return new Tally(byPosture, byPending, outdated, stuck.inOrder(), busiest.inOrder());
    }

    private static Map<Posture, Long> zeroes() {
        Map<Posture, Long> counts = new EnumMap<>(Posture.class);
        for (Posture p : Posture.values()) {
            counts.put(p, 0L);
        }
        return counts;
    }

    /** The first {@code max} matching rows in {@code order}, without holding every row in memory. */
    private static <V> List<V> matching(ReadOnlyKeyValueStore<String, V> store, Predicate<V> filter,
                                        Comparator<V> order, int max) {
        Top<V> first = new Top<>(order, max);
        try (KeyValueIterator<String, V> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, V> entry = it.next();
                if (entry.value != null && filter.test(entry.value)) {
                    first.offer(entry.value);
                }
            }
        }
        return first.inOrder();
    }
}
