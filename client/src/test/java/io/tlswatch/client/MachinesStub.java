package io.tlswatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tlswatch.tlsserver.tls.TestPki;
import io.tlswatch.validator.token.Confirmation;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.DpopVerification;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.EntitlementGrant;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTPS stand-in for the validator's machine endpoints, speaking their wire format (docs/api.md)
 * (validate, {@code /v1/machines/activate|heartbeat|deactivate}) over real TLS, with real DPoP checks (the
 * validator's own {@link DpopVerifier}, {@code htu} = the endpoint's URI) and real tokens (its
 * {@link TokenIssuer}). One license, one policy: explicit activation or not, heartbeats required or not. A test
 * may queue one-off answers per path ({@link #answerNext}) or make a path fail with 503 ({@link #failing}).
 *
 * <p>Only for what the real validator cannot be made to do in a test (fail a request, answer a given code at a
 * given moment, show what the SDK sent); the rest runs against it in {@code LicenseClientMachinesIT}. See
 * docs/client.md "Tests".
 */
final class MachinesStub implements AutoCloseable {

    static final String LICENSE_ID = "lic-stub";
    static final List<String> ENTITLEMENTS = List.of("reporting", "export");

    /** One request as the stub saw it. */
    record Seen(String path, JsonNode body, String htu, boolean proofVerified) {
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpsServer server;
    private final Path caFile;
    private final String url;
    private final SigningKeys keys = SigningKeys.generate(SigningAlgorithm.EDDSA, Duration.ofMinutes(16),
            Clock.systemUTC());
    private final TokenIssuer issuer;
    private final DpopVerifier proofs = new DpopVerifier(DpopSettings.defaults(), new ReplayCache(10_000,
            Clock.systemUTC()), Clock.systemUTC());
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<String>> queued = new HashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> activatedAt = new HashMap<>();
    private final Map<String, Instant> lastHeartbeatAt = new HashMap<>();
    private final AtomicInteger lateHeartbeats = new AtomicInteger();
    private volatile boolean explicitActivation;
    private volatile Duration heartbeatInterval;

    MachinesStub(Path directory) throws Exception {
        TestPki.Issued ca = TestPki.ca("stub-ca");
        TestPki.Issued leaf = TestPki.server(ca, TestPki.ec());
        this.caFile = ca.write(directory, "stub-ca");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.keys().getPrivate(), "pw".toCharArray(),
                new X509Certificate[]{leaf.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "pw".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        this.url = "https://localhost:" + server.getAddress().getPort();
        this.issuer = new TokenIssuer(keys, TokenSettings.defaults(url, "tlswatch-client"), Clock.systemUTC());
        server.createContext("/.well-known/jwks.json", exchange -> send(exchange, 200, keys.jwks()));
        for (String path : List.of("/v1/licenses/validate", "/v1/machines/activate", "/v1/machines/heartbeat",
                "/v1/machines/deactivate")) {
            server.createContext(path, this::handle);
        }
        server.start();
    }

    URI url() {
        return URI.create(url);
    }

    Path caCertificate() {
        return caFile;
    }

    /** The policy activates machines explicitly: a check of a machine not active is {@code NO_MACHINE}. */
    MachinesStub explicitActivation() {
        explicitActivation = true;
        return this;
    }

    /** The policy requires heartbeats at this interval ({@code null}: no longer). */
    MachinesStub heartbeats(Duration interval) {
        heartbeatInterval = interval;
        return this;
    }

    /** The next request to {@code path} is answered with {@code code} (not valid), whatever the state. */
    synchronized void answerNext(String path, String code) {
        queued.computeIfAbsent(path, p -> new ArrayDeque<>()).add(code);
    }

    /** Requests to {@code path} are answered 503 until {@link #recovered}. */
    void failing(String path) {
        failing.add(path);
    }

    void recovered(String path) {
        failing.remove(path);
    }

    /** Heartbeats that came after the time the previous answer said they were due. */
    int lateHeartbeats() {
        return lateHeartbeats.get();
    }

    List<Seen> seen() {
        return new ArrayList<>(seen);
    }

    long count(String path) {
        return seen.stream().filter(s -> s.path().equals(path)).count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
            URI htu = URI.create(url + path);
            DpopVerification proof = proofs.verify(exchange.getRequestHeaders().getFirst("DPoP"), "POST", htu);
            boolean verified = proof instanceof DpopVerification.Verified;
            seen.add(new Seen(path, body, htu.toString(), verified));
            if (failing.contains(path)) {
                send(exchange, 503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"stub failing\"}}");
                return;
            }
            ObjectNode answer = verified ? answer(path, body, ((DpopVerification.Verified) proof).jkt())
                    : refusal("PROOF_INVALID");
            send(exchange, 200, json.writeValueAsString(answer));
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":{\"code\":\"internal\",\"message\":\"" + e + "\"}}");
        }
    }

    private synchronized ObjectNode answer(String path, JsonNode body, String jkt) {
        String clientId = body.path("clientId").asText();
        Deque<String> forced = queued.get(path);
        if (forced != null && !forced.isEmpty()) {
            return withMachine(refusal(forced.poll()), clientId);
        }
        Instant now = Instant.now();
        switch (path) {
            case "/v1/licenses/validate":
                if (!activatedAt.containsKey(clientId)) {
                    if (explicitActivation) {
                        return refusal("NO_MACHINE");
                    }
                    activatedAt.put(clientId, now);
                }
                return valid(body, clientId, jkt);
            case "/v1/machines/activate":
                activatedAt.putIfAbsent(clientId, now);
                return valid(body, clientId, jkt);
            case "/v1/machines/heartbeat":
                if (!activatedAt.containsKey(clientId)) {
                    return refusal("NO_MACHINE");
                }
                Duration interval = heartbeatInterval;
                Instant last = lastHeartbeatAt.getOrDefault(clientId, activatedAt.get(clientId));
                if (interval != null && now.isAfter(last.plus(interval))) {
                    lateHeartbeats.incrementAndGet();
                }
                lastHeartbeatAt.put(clientId, now);
                ObjectNode beat = json.createObjectNode();
                beat.put("valid", true).put("code", "VALID").put("detail", "the heartbeat was recorded");
                return withMachine(beat, clientId);
            default:
                if (!activatedAt.containsKey(clientId)) {
                    return refusal("NO_MACHINE");
                }
                ObjectNode gone = refusal("DEACTIVATED");
                gone.set("machine", machine(clientId, "deactivated"));
                activatedAt.remove(clientId);
                lastHeartbeatAt.remove(clientId);
                return gone;
        }
    }

    private ObjectNode valid(JsonNode body, String clientId, String jkt) {
        for (JsonNode asked : body.path("entitlements")) {
            if (!ENTITLEMENTS.contains(asked.asText())) {
                return refusal("ENTITLEMENTS_MISSING");
            }
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("valid", true).put("code", "VALID").put("detail", "the license is valid");
        answer.set("license", license());
        answer.put("token", issuer.issue(new EntitlementGrant(LICENSE_ID, clientId, ENTITLEMENTS,
                Confirmation.jkt(jkt))).token());
        return withMachine(answer, clientId);
    }

    private ObjectNode withMachine(ObjectNode answer, String clientId) {
        if (activatedAt.containsKey(clientId)) {
            answer.set("machine", machine(clientId, "active"));
        }
        return answer;
    }

    private ObjectNode machine(String clientId, String status) {
        ObjectNode machine = json.createObjectNode();
        machine.put("id", clientId).put("status", status).put("activatedAt", activatedAt.get(clientId).toString());
        Instant last = lastHeartbeatAt.get(clientId);
        if (last != null) {
            machine.put("lastHeartbeatAt", last.toString());
        }
        ObjectNode heartbeat = machine.putObject("heartbeat");
        Duration interval = heartbeatInterval;
        heartbeat.put("required", interval != null);
        if (interval != null) {
            heartbeat.put("interval", interval.toString());
            heartbeat.put("dueAt", (last != null ? last : activatedAt.get(clientId)).plus(interval).toString());
        }
        return machine;
    }

    private ObjectNode refusal(String code) {
        ObjectNode answer = json.createObjectNode();
        answer.put("valid", false).put("code", code).put("detail", "stub: " + code);
        if (!"NOT_FOUND".equals(code)) {
            answer.set("license", license());
        }
        return answer;
    }

    private ObjectNode license() {
        ObjectNode license = json.createObjectNode();
        license.put("id", LICENSE_ID).put("status", "active").put("plan", "enterprise").put("maxMachines", 2)
                .put("gracePeriod", "PT72H");
        ENTITLEMENTS.forEach(license.putArray("entitlements")::add);
        return license;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
