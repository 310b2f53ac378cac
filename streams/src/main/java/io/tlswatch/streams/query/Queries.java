package io.tlswatch.streams.query;

import io.tlswatch.common.event.Posture;

import java.util.concurrent.CompletableFuture;

/** What the query API can be asked; {@code localOnly} answers from this instance's own stores. */
public interface Queries {

    CompletableFuture<QueryResponse> client(String clientId, boolean localOnly);

    CompletableFuture<QueryResponse> clients(Posture posture, int limit, boolean localOnly);

    CompletableFuture<QueryResponse> fingerprints(Boolean outdated, int limit, boolean localOnly);

    CompletableFuture<QueryResponse> whatIf(String minVersion, int limit, boolean localOnly);
}
