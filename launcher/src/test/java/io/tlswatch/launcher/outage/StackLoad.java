package io.tlswatch.launcher.outage;

import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.report.Classification;
import io.tlswatch.client.report.FailureReport;
import io.tlswatch.client.report.ReportSigner;
import io.tlswatch.client.report.TlsFailureClassifier;
import io.tlswatch.contract.serde.Json;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A steady load of real clients on the validator and the collector: installations checking their licenses over
 * kept-alive TLS connections with DPoP proofs, each from a loopback address of its own; some of them also running
 * an old TLS stack whose handshakes the validator refuses, and which reported that once, as the client SDK does,
 * over the collector's HTTPS listener with the same ClientHello, so that the posture job knows that stack's JA4 at
 * their address (docs/posture.md, "Attribution"); client reports posted to the collector. Wrong answers are
 * collected, not thrown: the load runs on its own threads, and the test fails on them while it waits.
 */
final class StackLoad implements AutoCloseable {

    /** Installations checking back to back with a short pause: the latency is measured on theirs. */
    static final int CHECKING_CLIENTS = 3;
    private static final Duration CHECK_PAUSE = Duration.ofMillis(15);
    /** Installations checking now and then, whose own old stacks fail handshakes from their addresses. */
    static final int STUCK_CLIENTS = 4;
    private static final Duration STUCK_CHECK_PAUSE = Duration.ofSeconds(2);
    private static final Duration OLD_STACK_PAUSE = Duration.ofMillis(1500);
    private static final int REPORTERS = 2;
    private static final Duration REPORT_PAUSE = Duration.ofMillis(400);
    /** Stuck clients' addresses follow the checking clients' at this distance. */
    private static final int STUCK_ADDRESS_OFFSET = 20;

    private final ServiceStack stack;
    private final SSLContext tls;
    private final int validatorPort;
    private final HttpClient http;
    private final List<KeepAliveLicenseClient> checking = new ArrayList<>();
    private final List<KeepAliveLicenseClient> stuck = new ArrayList<>();
    private final List<String> reporters = new ArrayList<>();
    private final GroundTruth truth = new GroundTruth();
    private final Queue<String> wrongAnswers = new ConcurrentLinkedQueue<>();
    private final Queue<Timed> timings = new ConcurrentLinkedQueue<>();
    private final Queue<Posted> posted = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService load = Executors.newScheduledThreadPool(
            CHECKING_CLIENTS + 2 * STUCK_CLIENTS + REPORTERS);

    private StackLoad(ServiceStack stack, SSLContext tls, HttpClient http) {
        this.stack = stack;
        this.tls = tls;
        this.validatorPort = stack.validator().port();
        this.http = http;
    }

    /**
     * Issues one license and connects the installations, all with it: the checking clients from the loopback
     * addresses ending in {@code firstAddress} on, the stuck ones from {@code firstAddress + 20} on.
     */
    static StackLoad connect(ServiceStack stack, int firstAddress, HttpClient http) throws Exception {
        String licenseKey = LoadLicense.issue(stack.bootstrapServers(), stack.validator());
        StackLoad load = new StackLoad(stack, LoopbackTls.trusting(stack.certificates().caCertificate()), http);
        try {
            for (int i = 0; i < CHECKING_CLIENTS; i++) {
                load.checking.add(load.client(firstAddress + i, licenseKey));
            }
            for (int i = 0; i < STUCK_CLIENTS; i++) {
                load.stuck.add(load.client(firstAddress + STUCK_ADDRESS_OFFSET + i, licenseKey));
            }
        } catch (Exception | Error e) {
            load.close();
            throw e;
        }
        for (int i = 0; i < REPORTERS; i++) {
            load.reporters.add("reporter-" + UUID.randomUUID());
        }
        return load;
    }

    private KeepAliveLicenseClient client(int address, String licenseKey) throws Exception {
        return new KeepAliveLicenseClient(tls, LoopbackTls.address(address), validatorPort,
                OutageStack.VALIDATOR_PUBLIC_URL, licenseKey);
    }

    /**
     * The posture job gives a failure from an address to a client only if it saw the client there with the
     * failure's JA4: each stuck installation checks in, its old stack fails once and reports that over the
     * collector's HTTPS listener, as the SDK does, so its JA4 is known before the load. The first failure is held
     * until that report teaches it, then counted. Returns once the posture job has a row for each of them that
     * counts that failure and that report.
     */
    void introduceStuckClients(PostureRows rows, Duration limit) {
        URI reportsOverTls = URI.create("https://localhost:" + stack.collector().httpsPort() + "/v1/reports");
        for (KeepAliveLicenseClient client : stuck) {
            check(client, ignored -> { });
            reportOldStackFailure(client, reportsOverTls);
        }
        assertThat(wrongAnswers).isEmpty();
        await().atMost(limit).until(() -> rows.of(stack.streams()).entrySet().containsAll(stuck.stream()
                .map(c -> Map.entry(c.clientId(), "failures=1 reports=1")).toList()));
    }

    /** Starts the steady load, its reports posted to the collector's plain HTTP listener. */
    void start() {
        URI reports = URI.create("http://127.0.0.1:" + stack.collector().httpPort() + "/v1/reports");
        for (KeepAliveLicenseClient client : checking) {
            every(CHECK_PAUSE, () -> check(client, timings::add));
        }
        for (KeepAliveLicenseClient client : stuck) {
            every(STUCK_CHECK_PAUSE, () -> check(client, ignored -> { }));
            every(OLD_STACK_PAUSE, () -> oldStack(client));
        }
        for (String reporter : reporters) {
            every(REPORT_PAUSE, () -> report(reports, reporter));
        }
    }

    /** Stops the load, letting what runs finish; whether it did within 20 s. */
    boolean stop() throws InterruptedException {
        load.shutdown();
        return load.awaitTermination(20, TimeUnit.SECONDS);
    }

    /**
     * Lets the load run for {@code window}: a bounded wait for the window's end that fails at once if a client
     * got a wrong answer meanwhile, or {@code invariant} stops holding.
     */
    void runFor(Duration window, Runnable invariant) {
        long end = System.nanoTime() + window.toNanos();
        await().atMost(window.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertNoWrongAnswers();
            invariant.run();
            return System.nanoTime() >= end;
        });
    }

    /** Lets the load run until {@code done}, at most {@code limit}, failing at once on a wrong answer. */
    void runUntil(Callable<Boolean> done, Duration limit) {
        await().atMost(limit).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            assertNoWrongAnswers();
            return done.call();
        });
    }

    void assertNoWrongAnswers() {
        assertThat(wrongAnswers).as("wrong answers to the clients").isEmpty();
    }

    Queue<String> wrongAnswers() {
        return wrongAnswers;
    }

    /** The checking clients' checks. */
    Queue<Timed> timings() {
        return timings;
    }

    /** Every report posted, with its answer. */
    Queue<Posted> posted() {
        return posted;
    }

    GroundTruth truth() {
        return truth;
    }

    List<KeepAliveLicenseClient> checking() {
        return checking;
    }

    List<KeepAliveLicenseClient> stuck() {
        return stuck;
    }

    List<String> reporters() {
        return reporters;
    }

    private void check(KeepAliveLicenseClient client, Consumer<Timed> timing) {
        long sent = System.nanoTime();
        try {
            KeepAliveLicenseClient.Answer answer = client.check();
            truth.checked(client.clientId());
            if (answer.status() != 200 || !"VALID".equals(answer.code())) {
                wrongAnswers.add(client.clientId() + ": " + answer);
            }
            timing.accept(new Timed(sent, answer.micros()));
        } catch (Exception e) {
            wrongAnswers.add(client.clientId() + ": " + e);
        }
    }

    /** One handshake of the client's old stack at the validator, counted when it failed; how it failed. */
    private Optional<SSLException> oldStack(KeepAliveLicenseClient client) {
        try {
            Optional<SSLException> failure = LoopbackTls.oldStackHandshakeFailure(tls, client.address(),
                    validatorPort);
            if (failure.isPresent()) {
                truth.handshakeFailedFrom(client.address().getHostAddress());
            } else {
                wrongAnswers.add("an old stack completed a handshake from " + client.address());
            }
            return failure;
        } catch (Exception e) {
            wrongAnswers.add("old stack from " + client.address() + ": " + e);
            return Optional.empty();
        }
    }

    /**
     * What the client SDK does when a check fails on the installation's old stack: the report made by the SDK's
     * own classes from that failure, signed with the installation's key, posted from the installation's address
     * over the collector's HTTPS listener with that same old stack. A context of its own: one with no session to
     * resume at the collector, so the ClientHello is the one its failed handshakes carry.
     */
    private void reportOldStackFailure(KeepAliveLicenseClient client, URI reportsOverTls) {
        Instant occurredAt = Instant.now();
        Optional<SSLException> failure = oldStack(client);
        if (failure.isEmpty()) {
            return;
        }
        try {
            SSLContext oldStack = LoopbackTls.trusting(stack.certificates().caCertificate());
            Classification classification = new TlsFailureClassifier().classify(failure.get());
            FailureReport report = FailureReport.of(Json.mapper(), client.clientId(), null, occurredAt,
                    OutageStack.VALIDATOR_PUBLIC_URL + "/v1/licenses/validate", classification,
                    ClientTls.of(oldStack, LoopbackTls.OLD_STACK_PROTOCOLS, LoopbackTls.OLD_STACK_SUITES), null);
            byte[] body = Json.mapper().writeValueAsBytes(report.sent(Instant.now()));
            long sent = System.nanoTime();
            int status = LoopbackTls.oldStackPost(oldStack, client.address(), reportsOverTls.getPort(),
                    reportsOverTls.getPath(), Map.of("Content-Type", "application/json", ReportSigner.HEADER,
                            client.signReport(body)), body);
            posted.add(new Posted(client.clientId(), report.reportId(), status, null, sent, System.nanoTime()));
            if (status != 202) {
                wrongAnswers.add("old stack report of " + client.clientId() + " over HTTPS answered " + status);
            }
        } catch (Exception e) {
            wrongAnswers.add("old stack report of " + client.clientId() + ": " + e);
        }
    }

    /**
     * Posts one report as the client SDK writes it. Never retried: what a 503 leaves in the producer may still
     * reach the topic, and a retry would then write it twice (the retry path is CollectorKafkaDownIT's).
     */
    private void report(URI reports, String clientId) {
        String reportId = UUID.randomUUID().toString();
        Instant now = Instant.now();
        String body = """
                {"reportId": "%s", "clientId": "%s", "occurredAt": "%s",
                 "endpoint": "https://licenses.example.com/v1/licenses/validate",
                 "errorClass": "tls.version_or_cipher_mismatch",
                 "message": "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version",
                 "runtime": {"name": "Java(TM) SE Runtime Environment", "version": "1.7.0_80-b15", "vendor": "Oracle Corporation"},
                 "tls": {"library": "SunJSSE", "version": "1.7", "enabledProtocols": ["TLSv1"],
                         "enabledCipherSuites": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]},
                 "os": "Windows Server 2008 R2 6.1 amd64", "appVersion": "4.12.3", "clientTime": "%s"}"""
                .formatted(reportId, clientId, now, now);
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(reports)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            posted.add(new Posted(clientId, reportId, response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null), sent, System.nanoTime()));
        } catch (Exception e) {
            wrongAnswers.add("report " + reportId + ": " + e);
        }
    }

    /** Runs {@code task} again and again with {@code pause} between the end of one run and the next. */
    private void every(Duration pause, Runnable task) {
        load.scheduleWithFixedDelay(task, 0, pause.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() throws IOException {
        load.shutdownNow();
        for (KeepAliveLicenseClient client : checking) {
            client.close();
        }
        for (KeepAliveLicenseClient client : stuck) {
            client.close();
        }
    }
}
