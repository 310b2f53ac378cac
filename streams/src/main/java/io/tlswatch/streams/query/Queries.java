package io.tlswatch.streams.query;

import java.util.concurrent.CompletableFuture;

/** What the query API can be asked; {@code localOnly} answers from this instance's own stores. */
public interface Queries {

    CompletableFuture<QueryResponse> client(String clientId, boolean localOnly);

    CompletableFuture<QueryResponse> clients(ClientFilter filter, int limit, boolean localOnly);

    CompletableFuture<QueryResponse> fingerprints(Boolean outdated, int limit, boolean localOnly);

    CompletableFuture<QueryResponse> whatIf(String minVersion, int limit, boolean localOnly);
}
