package io.tlswatch.streams.query;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tlswatch.http.AdminHandler;
import io.tlswatch.http.HealthCheck;
import io.tlswatch.http.HttpListener;

import java.util.List;

/**
 * The streams job's one HTTP port: the query API ({@code /v1/...}) and the admin endpoints every service has
 * ({@code /metrics}, {@code /health/live}, {@code /health/ready}). Binds before the job starts, because the
 * job announces the bound port to its peers.
 */
public final class QueryServer {

    private QueryServer() {
    }

    /** Binds {@code host:port} (0 picks a free port); the router is attached once the job exists. */
    public static HttpListener start(String host, int port, QueryHandlerSlot slot, PrometheusMeterRegistry registry,
                                     List<HealthCheck> readiness) {
        return HttpListener.bind("query port", "Query API and admin endpoints", host, port,
                new QueryServerInitializer(slot, new AdminHandler(registry, readiness)));
    }
}
