package io.tlswatch.notifier.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tlswatch.contract.serde.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server standing in for a third-party pager we cannot run: it answers as the {@link Api} given
 * (which speaks that party's documented API), except for the faults queued with {@link #failNext} (a 429 with
 * {@code Retry-After}, a 500, a request left unanswered until the client times out). It records every request.
 */
public final class FakeApi implements AutoCloseable {

    /** A request as received. Header names are lower case. */
    public record Received(String method, String path, String query, Map<String, String> headers, String body,
                           Instant at) {
        public JsonNode json() {
            try {
                return Json.reader().readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What to answer; {@code hang} answers nothing until the server closes. */
    public record Answer(int status, Map<String, String> headers, String body, boolean hangs) {
        public static Answer json(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "application/json"), body, false);
        }

        public static Answer text(int status, String body) {
            return new Answer(status, Map.of("Content-Type", "text/plain"), body, false);
        }

        public static Answer silence() {
            return new Answer(0, Map.of(), "", true);
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> copy = new HashMap<>(headers);
            copy.put(name, value);
            return new Answer(status, copy, body, hangs);
        }
    }

    /** A third party's documented behaviour. */
    @FunctionalInterface
    public interface Api {
        Answer answer(Received request);
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Api api;
    private final ConcurrentLinkedQueue<Answer> faults = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private FakeApi(Api api, int port) throws IOException {
        this.api = api;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        this.executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeApi start(Api api) {
        return start(api, 0);
    }

    /** On a given loopback port: a target that was unreachable (nothing listening) coming back. */
    public static FakeApi start(Api api, int port) {
        try {
            return new FakeApi(api, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** The next requests get these answers, in order, whatever they hold; then the API answers again. */
    public void failNext(Answer... answers) {
        faults.addAll(List.of(answers));
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** Requests answered with a 2xx. */
    public List<Received> accepted() {
        return List.copyOf(accepted);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.get(0)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), body, Instant.now());
            received.add(request);
            Answer fault = faults.poll();
            Answer answer = fault != null ? fault : api.answer(request);
            if (answer.hangs()) {
                // Holds the connection open without a word, as a stuck server does, until the test ends.
                release.await(60, TimeUnit.SECONDS);
                return;
            }
            if (answer.status() / 100 == 2) {
                accepted.add(request);
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** Bodies of the accepted requests, as JSON. */
    public List<JsonNode> acceptedJson() {
        List<JsonNode> out = new ArrayList<>();
        accepted.forEach(r -> out.add(r.json()));
        return out;
    }
}
