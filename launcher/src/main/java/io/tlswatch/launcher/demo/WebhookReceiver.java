package io.tlswatch.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tlswatch.contract.serde.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The demo's local webhook receiver: what the notifier's signed generic webhook target posts to. It checks each
 * request's signature, appends the alert as one JSON line to the webhook log, and hands it to the terminal view.
 */
final class WebhookReceiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookReceiver.class);
    static final String PATH = "/alerts";
    private static final int MAX_BODY = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] key;
    private final Path logFile;
    private final Clock clock;
    private final Consumer<ReceivedAlert> listener;
    private final Set<String> deliveries = new HashSet<>();
    private final List<ReceivedAlert> alerts = new ArrayList<>();

    private WebhookReceiver(HttpServer server, ExecutorService executor, byte[] key, Path logFile, Clock clock,
                            Consumer<ReceivedAlert> listener) {
        this.server = server;
        this.executor = executor;
        this.key = key;
        this.logFile = logFile;
        this.clock = clock;
        this.listener = listener;
    }

    static WebhookReceiver start(String key, Path logFile, Clock clock, Consumer<ReceivedAlert> listener) {
        try {
            Files.writeString(logFile, "", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "tlswatch-demo-webhook");
                thread.setDaemon(true);
                return thread;
            });
            WebhookReceiver receiver = new WebhookReceiver(server, executor, key.getBytes(StandardCharsets.UTF_8),
                    logFile, clock, listener);
            server.createContext(PATH, receiver::handle);
            server.setExecutor(executor);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the webhook receiver", e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    Path logFile() {
        return logFile;
    }

    synchronized List<ReceivedAlert> alerts() {
        return List.copyOf(alerts);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            String timestamp = exchange.getRequestHeaders().getFirst("X-Tlswatch-Timestamp");
            String signature = exchange.getRequestHeaders().getFirst("X-Tlswatch-Signature");
            String delivery = exchange.getRequestHeaders().getFirst("X-Tlswatch-Delivery");
            if (body.length > MAX_BODY || timestamp == null || signature == null || !signed(timestamp, body, signature)) {
                log.warn("Webhook request refused: missing or wrong signature, or too large");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode alert = Json.mapper().readTree(body);
            record(delivery, alert);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    private synchronized void record(String delivery, JsonNode alert) throws IOException {
        // The notifier delivers at least once: a redelivery carries the same id and is logged once.
        if (delivery != null && !deliveries.add(delivery)) {
            return;
        }
        Instant now = clock.instant();
        ObjectNode line = Json.mapper().createObjectNode();
        line.put("receivedAt", now.toString());
        line.put("delivery", delivery);
        line.set("alert", alert);
        Files.writeString(logFile, Json.mapper().writeValueAsString(line) + "\n", StandardOpenOption.APPEND);
        ReceivedAlert received = new ReceivedAlert(now, alert.path("dedupKey").asText(), alert.path("status").asText(),
                alert.path("severity").asText(), alert.path("clientId").asText(null), alert.path("posture").asText(""),
                alert.path("summary").asText(""));
        alerts.add(received);
        listener.accept(received);
    }

    private boolean signed(String timestamp, byte[] body, String signature) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    signature.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** One alert as delivered. */
    record ReceivedAlert(Instant receivedAt, String dedupKey, String status, String severity, String clientId,
                         String posture, String summary) {
        boolean firing() {
            return "firing".equals(status);
        }
    }
}
