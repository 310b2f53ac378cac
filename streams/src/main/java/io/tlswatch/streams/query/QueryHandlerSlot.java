package io.tlswatch.streams.query;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;

/**
 * Where the query API's backend is plugged in once the job exists: the port binds first (the job must know
 * it to tell its peers), and until {@link #attach} every query answers 503.
 */
public final class QueryHandlerSlot implements Queries {

    private final QueryHandler handler;
    private volatile Queries target;

    public QueryHandlerSlot(int maxLimit, MeterRegistry registry) {
        this.handler = new QueryHandler(new QueryRouter(this, maxLimit, registry));
    }

    public QueryHandler handler() {
        return handler;
    }

    public void attach(Queries queries) {
        this.target = queries;
    }

    private static CompletableFuture<QueryResponse> notReady() {
        return CompletableFuture.completedFuture(QueryResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                "not_ready", "the job is starting; retry shortly", null));
    }

    @Override
    public CompletableFuture<QueryResponse> client(String clientId, boolean localOnly) {
        Queries t = target;
        return t == null ? notReady() : t.client(clientId, localOnly);
    }

    @Override
    public CompletableFuture<QueryResponse> clients(ClientFilter filter, int limit, boolean localOnly) {
        Queries t = target;
        return t == null ? notReady() : t.clients(filter, limit, localOnly);
    }

    @Override
    public CompletableFuture<QueryResponse> fingerprints(Boolean outdated, int limit, boolean localOnly) {
        Queries t = target;
        return t == null ? notReady() : t.fingerprints(outdated, limit, localOnly);
    }

    @Override
    public CompletableFuture<QueryResponse> whatIf(String minVersion, int limit, boolean localOnly) {
        Queries t = target;
        return t == null ? notReady() : t.whatIf(minVersion, limit, localOnly);
    }
}
