package io.tlswatch.streams.query;

import com.fasterxml.jackson.databind.ObjectReader;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.streams.names.Names;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The query API's answers, from any instance: a key is fetched from the instance that holds it, a list is
 * gathered from every instance holding part of the store and merged. Local store reads run on the query
 * executor, remote ones asynchronously; nothing here blocks the caller.
 */
public final class QueryService implements Queries {

    private static final ObjectReader CLIENT = Json.readerFor(ClientPosture.class);
    private static final ObjectReader CLIENT_LIST = Json.readerFor(Answers.ClientList.class);
    private static final ObjectReader FINGERPRINT_LIST = Json.readerFor(Answers.FingerprintList.class);
    private static final ObjectReader WHAT_IF = Json.readerFor(Answers.WhatIf.class);

    private final KafkaStreams streams;
    private final LocalStores local;
    private final RemoteInstances remote;
    private final HostInfo self;
    private final Executor executor;

    public QueryService(KafkaStreams streams, RemoteInstances remote, HostInfo self, Executor executor) {
        this.streams = streams;
        this.local = new LocalStores(streams);
        this.remote = remote;
        this.self = self;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<QueryResponse> client(String clientId, boolean localOnly) {
        if (localOnly) {
            return onExecutor(() -> {
                ClientPosture row = local.client(clientId);
                return row == null ? notFound(clientId) : QueryResponse.ok(row);
            });
        }
        KeyQueryMetadata where = streams.queryMetadataForKey(Names.CLIENT_POSTURE_STORE, clientId,
                Serdes.String().serializer());
        if (where == null || where.equals(KeyQueryMetadata.NOT_AVAILABLE) || where.activeHost() == null) {
            return CompletableFuture.completedFuture(unavailable());
        }
        if (where.activeHost().equals(self)) {
            return client(clientId, true);
        }
        String path = "/v1/clients/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8).replace("+", "%20")
                + "?" + RemoteInstances.LOCAL_PARAM + "=true";
        return remote.get(where.activeHost(), path).thenApply(a -> {
            try {
                // Parsed and written again rather than relayed, so a broken peer cannot answer in our name.
                return a.status() == 200 ? QueryResponse.ok(CLIENT.readValue(a.body()))
                        : QueryResponse.relayed(a.status(), a.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).exceptionally(e -> peerFailed(where.activeHost(), e));
    }

    @Override
    public CompletableFuture<QueryResponse> clients(ClientFilter filter, int limit, boolean localOnly) {
        String query = "limit=" + limit + (filter.posture() == null ? ""
                : "&posture=" + filter.posture().name().toLowerCase(java.util.Locale.ROOT))
                + (filter.includePending() ? "&includePending=true" : "");
        return gather(Names.CLIENT_POSTURE_STORE, "/v1/clients?" + query, localOnly,
                () -> local.clients(filter, limit), CLIENT_LIST, Answers.ClientList.class,
                parts -> {
                    List<ClientPosture> all = new ArrayList<>();
                    boolean truncated = false;
                    for (Answers.ClientList p : parts) {
                        all.addAll(p.clients());
                        truncated |= p.truncated();
                    }
                    all.sort(Comparator.comparing(ClientPosture::clientId));
                    return new Answers.ClientList(all.subList(0, Math.min(limit, all.size())),
                            truncated || all.size() > limit);
                });
    }

    @Override
    public CompletableFuture<QueryResponse> fingerprints(Boolean outdated, int limit, boolean localOnly) {
        String query = "limit=" + limit + (outdated == null ? "" : "&outdated=" + outdated);
        return gather(Names.FINGERPRINT_POSTURE_STORE, "/v1/fingerprints?" + query, localOnly,
                () -> local.fingerprints(outdated, limit), FINGERPRINT_LIST, Answers.FingerprintList.class,
                parts -> {
                    List<FingerprintPosture> all = new ArrayList<>();
                    boolean truncated = false;
                    for (Answers.FingerprintList p : parts) {
                        all.addAll(p.fingerprints());
                        truncated |= p.truncated();
                    }
                    all.sort(Comparator.comparing(FingerprintPosture::ja4));
                    return new Answers.FingerprintList(all.subList(0, Math.min(limit, all.size())),
                            truncated || all.size() > limit);
                });
    }

    @Override
    public CompletableFuture<QueryResponse> whatIf(String minVersion, int limit, boolean localOnly) {
        return gather(Names.CLIENT_POSTURE_STORE, "/v1/what-if?minVersion=" + minVersion + "&limit=" + limit,
                localOnly, () -> local.whatIf(minVersion, limit), WHAT_IF, Answers.WhatIf.class, parts -> {
                    long clients = 0;
                    long fingerprints = 0;
                    List<Answers.AffectedClient> affectedClients = new ArrayList<>();
                    List<Answers.AffectedFingerprint> affectedFingerprints = new ArrayList<>();
                    for (Answers.WhatIf p : parts) {
                        clients += p.clientsAffected();
                        fingerprints += p.fingerprintsAffected();
                        affectedClients.addAll(p.clients());
                        affectedFingerprints.addAll(p.fingerprints());
                    }
                    // A fingerprint seen on several instances (it is keyed by JA4, so it is not) would count twice.
                    return new Answers.WhatIf(minVersion, clients, fingerprints,
                            affectedClients.stream().sorted(Comparator.comparing(Answers.AffectedClient::clientId))
                                    .limit(limit).toList(),
                            affectedFingerprints.stream().sorted(Comparator.comparing(Answers.AffectedFingerprint::ja4))
                                    .limit(limit).toList());
                });
    }

    private <T> CompletableFuture<QueryResponse> gather(String store, String pathAndQuery, boolean localOnly,
                                                        Supplier<T> localPart, ObjectReader reader, Class<T> type,
                                                        Function<List<T>, T> merge) {
        if (localOnly) {
            return onExecutor(() -> QueryResponse.ok(localPart.get()));
        }
        Collection<StreamsMetadata> holders = streams.streamsMetadataForStore(store);
        if (holders.isEmpty()) {
            return CompletableFuture.completedFuture(unavailable());
        }
        List<CompletableFuture<T>> parts = new ArrayList<>();
        for (StreamsMetadata holder : holders) {
            if (holder.hostInfo().equals(self)) {
                parts.add(CompletableFuture.supplyAsync(localPart, executor));
            } else {
                String path = pathAndQuery + "&" + RemoteInstances.LOCAL_PARAM + "=true";
                parts.add(remote.get(holder.hostInfo(), path).thenApply(a -> {
                    if (a.status() != 200) {
                        throw new PeerAnswer(holder.hostInfo(), a.status());
                    }
                    try {
                        return type.cast(reader.readValue(a.body()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> QueryResponse.ok(merge.apply(parts.stream().map(CompletableFuture::join).toList())))
                .exceptionally(e -> peerFailed(null, e));
    }

    private CompletableFuture<QueryResponse> onExecutor(Supplier<QueryResponse> read) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return read.get();
            } catch (InvalidStateStoreException e) {
                return unavailable();
            }
        }, executor);
    }

    private static QueryResponse notFound(String clientId) {
        return QueryResponse.error(HttpResponseStatus.NOT_FOUND, "not_found", "no posture for client '"
                + clientId + "'", "clientId");
    }

    private static QueryResponse unavailable() {
        return QueryResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "not_ready",
                "the posture stores are not queryable right now (starting or rebalancing); retry shortly", null);
    }

    private static QueryResponse peerFailed(HostInfo host, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                ? e.getCause() : e;
        if (cause instanceof InvalidStateStoreException) {
            return unavailable();
        }
        String who = cause instanceof PeerAnswer p ? p.host.toString() : host == null ? "another instance"
                : host.toString();
        return QueryResponse.error(HttpResponseStatus.BAD_GATEWAY, "peer_unavailable",
                "instance " + who + " holding part of the answer did not answer: " + cause.getMessage(), null);
    }

    /** Another instance answered, but not with what was asked. */
    private static final class PeerAnswer extends RuntimeException {
        private final HostInfo host;

        PeerAnswer(HostInfo host, int status) {
            super("status " + status, null, false, false);
            this.host = host;
        }
    }
}
