package io.tlswatch.streams.query;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Maps a request line to a query: checks the path, the method and the parameters, and counts each request
 * by endpoint and outcome ({@code tlswatch.streams.query.requests}).
 */
public final class QueryRouter {

    /** Paths this router answers; everything else goes to the admin endpoints. */
    public static final String PREFIX = "/v1/";

    private static final int DEFAULT_LIMIT = 100;
    private static final List<String> ENDPOINTS = List.of("clients", "client", "fingerprints", "what_if", "unknown");
    private static final List<String> OUTCOMES = List.of("ok", "bad_request", "not_found", "unavailable", "error");

    private final Queries queries;
    private final int maxLimit;
    /** Every endpoint and outcome from the start, so that an unused one reads 0 rather than nothing. */
    private final Map<String, Counter> counters;

    public QueryRouter(Queries queries, int maxLimit, MeterRegistry registry) {
        this.queries = queries;
        this.maxLimit = maxLimit;
        Map<String, Counter> all = new HashMap<>();
        for (String endpoint : ENDPOINTS) {
            for (String outcome : OUTCOMES) {
                all.put(endpoint + "|" + outcome, Counter.builder("tlswatch.streams.query.requests")
                        .description("Query API requests, by endpoint and outcome")
                        .tag("endpoint", endpoint).tag("outcome", outcome).register(registry));
            }
        }
        this.counters = Map.copyOf(all);
    }

    public static boolean handles(String uri) {
        return new QueryStringDecoder(uri).path().startsWith(PREFIX);
    }

    public CompletableFuture<QueryResponse> route(HttpMethod method, String uri) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        String path = decoder.path();
        String endpoint = endpoint(path);
        CompletableFuture<QueryResponse> answer;
        try {
            answer = dispatch(method, path, endpoint, new QueryParams(decoder.parameters()));
        } catch (BadQuery e) {
            answer = CompletableFuture.completedFuture(QueryResponse.error(HttpResponseStatus.BAD_REQUEST,
                    "bad_request", e.getMessage(), e.field()));
        } catch (RuntimeException e) {
            // Kafka Streams refuses metadata calls while it is not running.
            answer = CompletableFuture.completedFuture(QueryResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "not_ready", "the job is not running: " + e.getMessage(), null));
        }
        return answer.exceptionally(e -> QueryResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                        "the query failed: " + e.getMessage(), null))
                .thenApply(r -> {
                    count(endpoint, r.status());
                    return r;
                });
    }

    private CompletableFuture<QueryResponse> dispatch(HttpMethod method, String path, String endpoint,
                                                      QueryParams params) {
        if (endpoint.equals("unknown")) {
            return CompletableFuture.completedFuture(QueryResponse.error(HttpResponseStatus.NOT_FOUND, "not_found",
                    "no such endpoint: " + path, null));
        }
        if (!HttpMethod.GET.equals(method)) {
            return CompletableFuture.completedFuture(QueryResponse.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "method_not_allowed", "only GET is allowed here", null));
        }
        boolean local = Boolean.TRUE.equals(params.bool(RemoteInstances.LOCAL_PARAM));
        return switch (endpoint) {
            case "client" -> {
                String id = path.substring("/v1/clients/".length());
                if (id.isBlank() || id.contains("/")) {
                    throw new BadQuery("clientId", "the path must be /v1/clients/{clientId}");
                }
                yield queries.client(id, local);
            }
            case "clients" -> queries.clients(new ClientFilter(params.posture("posture"),
                    Boolean.TRUE.equals(params.bool("includePending"))), params.limit("limit", DEFAULT_LIMIT, maxLimit),
                    local);
            case "fingerprints" -> queries.fingerprints(params.bool("outdated"), params.limit("limit",
                    DEFAULT_LIMIT, maxLimit), local);
            default -> queries.whatIf(params.tlsVersion("minVersion"), params.limit("limit", DEFAULT_LIMIT,
                    maxLimit), local);
        };
    }

    private static String endpoint(String path) {
        if (path.equals("/v1/clients")) {
            return "clients";
        }
        if (path.startsWith("/v1/clients/")) {
            return "client";
        }
        if (path.equals("/v1/fingerprints")) {
            return "fingerprints";
        }
        if (path.equals("/v1/what-if")) {
            return "what_if";
        }
        return "unknown";
    }

    private void count(String endpoint, HttpResponseStatus status) {
        String outcome = switch (status.code()) {
            case 200 -> "ok";
            case 400, 405 -> "bad_request";
            case 404 -> "not_found";
            case 503 -> "unavailable";
            default -> "error";
        };
        counters.get(endpoint + "|" + outcome).increment();
    }
}
