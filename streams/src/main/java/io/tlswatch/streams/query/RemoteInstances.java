package io.tlswatch.streams.query;

import org.apache.kafka.streams.state.HostInfo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Asks another instance of the job for its local answer, over its query API, without blocking a thread. */
public final class RemoteInstances {

    /** The parameter that asks an instance for what it holds itself, without asking others in turn. */
    public static final String LOCAL_PARAM = "local";

    private final HttpClient client;
    private final Duration timeout;

    public RemoteInstances(Duration timeout, Executor executor) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).executor(executor).build();
        this.timeout = timeout;
    }

    /** An answer as it came: status and JSON bytes. */
    public record Answer(int status, byte[] body) {
    }

    /** GETs {@code pathAndQuery} (which must already carry {@code local=true}) from {@code host}. */
    public CompletableFuture<Answer> get(HostInfo host, String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port()
                        + pathAndQuery))
                .timeout(timeout).header("Accept", "application/json").GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> new Answer(r.statusCode(), r.body()));
    }
}
