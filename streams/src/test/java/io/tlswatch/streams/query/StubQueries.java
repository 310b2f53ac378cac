package io.tlswatch.streams.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Records what the router asked for and answers with a fixed body naming it. */
final class StubQueries implements Queries {

    final List<String> calls = new ArrayList<>();

    private CompletableFuture<QueryResponse> answer(String call) {
        calls.add(call);
        return CompletableFuture.completedFuture(QueryResponse.ok(Map.of("call", call)));
    }

    @Override
    public CompletableFuture<QueryResponse> client(String clientId, boolean localOnly) {
        return answer("client " + clientId + " " + localOnly);
    }

    @Override
    public CompletableFuture<QueryResponse> clients(ClientFilter filter, int limit, boolean localOnly) {
        return answer("clients " + filter.posture() + (filter.includePending() ? "+pending" : "") + " " + limit + " "
                + localOnly);
    }

    @Override
    public CompletableFuture<QueryResponse> fingerprints(Boolean outdated, int limit, boolean localOnly) {
        return answer("fingerprints " + outdated + " " + limit + " " + localOnly);
    }

    @Override
    public CompletableFuture<QueryResponse> whatIf(String minVersion, int limit, boolean localOnly) {
        return answer("what-if " + minVersion + " " + limit + " " + localOnly);
    }
}
