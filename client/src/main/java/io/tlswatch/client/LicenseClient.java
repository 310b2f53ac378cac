package io.tlswatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.client.identity.Installation;
import io.tlswatch.client.identity.InstallationStore;
import io.tlswatch.client.log.SdkLog;
import io.tlswatch.client.report.Classification;
import io.tlswatch.client.report.FailureReport;
import io.tlswatch.client.report.RefusalClassifier;
import io.tlswatch.client.report.ReportDelivery;
import io.tlswatch.client.report.ReportSigner;
import io.tlswatch.client.report.ReportSpool;
import io.tlswatch.client.report.Reporter;
import io.tlswatch.client.report.ReportingStats;
import io.tlswatch.client.report.TlsFailureClassifier;
import io.tlswatch.client.state.StoredVerdict;
import io.tlswatch.client.state.VerdictStore;
import io.tlswatch.client.thread.DaemonThreads;
import io.tlswatch.client.token.DpopProofs;
import io.tlswatch.client.token.EntitlementVerifier;
import io.tlswatch.client.token.Jwks;
import io.tlswatch.client.token.TokenException;
import io.tlswatch.client.token.VerifiedToken;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Validates this installation's license with the tlswatch validator and keeps the answer: see docs/client.md.
 *
 * <pre>{@code
 * LicenseClient client = LicenseClient.builder()
 *         .serverUrl(URI.create("https://licenses.example.com"))
 *         .licenseKey(key)
 *         .stateDirectory(Paths.get(System.getProperty("user.home"), ".acme", "license"))
 *         .collector(URI.create("https://reports.example.com:8444"), URI.create("http://reports.example.com:8080"))
 *         .build();
 * client.start();                        // validates now and before every expiry, in the background
 * if (client.status().usable()) { ... }  // VALID or GRACE
 * client.close();
 * }</pre>
 *
 * <p>Thread-safe. One daemon thread refreshes ({@value #REFRESHER_THREAD}), one sends failure reports
 * ({@value Reporter#THREAD_NAME}); {@link #close()} ends both. No method throws for a network or server problem:
 * those are in {@link LicenseStatus#lastFailure()}.
 */
public final class LicenseClient implements AutoCloseable {

    public static final String REFRESHER_THREAD = "tlswatch-license-refresher";
    public static final String SDK_NAME = "tlswatch-java";
    static final String VALIDATE_PATH = "/v1/licenses/validate";
    static final String JWKS_PATH = "/.well-known/jwks.json";
    /** Codes that say something is wrong with this client's proof, not with the license (a wrong clock, a bug). */
    private static final Set<String> CLIENT_SIDE_CODES = Collections.unmodifiableSet(
            new HashSet<>(Arrays.asList("PROOF_INVALID", "PROOF_REQUIRED")));
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration INVALID_RECHECK = Duration.ofHours(1);
    private static final SdkLog LOG = SdkLog.of(LicenseClient.class);

    private final Builder config;
    private final URI validateUri;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final Installation installation;
    private final HttpTransport http;
    private final Jwks jwks;
    private final EntitlementVerifier verifier;
    private final DpopProofs proofs;
    private final VerdictStore store;
    private final EntitlementTracker tracker = new EntitlementTracker();
    private final TlsFailureClassifier classifier = new TlsFailureClassifier();
    private final RefusalClassifier refusals = new RefusalClassifier();
    private final Reporter reporter;
    private final DaemonThreads refresherThreads = new DaemonThreads(REFRESHER_THREAD);
    private final ScheduledThreadPoolExecutor refresher;
    private final Object validation = new Object();
    private final Object schedule = new Object();
    private ScheduledFuture<?> next;
    private Duration retry = FIRST_RETRY;
    private volatile String dpopNonce;
    private volatile boolean started;
    private volatile boolean closed;

    private LicenseClient(Builder config) throws IOException, GeneralSecurityException {
        this.config = config;
        this.clock = config.clock;
        String base = withoutTrailingSlash(config.serverUrl.toString());
        this.validateUri = URI.create(base + VALIDATE_PATH);
        ClientTls tls = config.sslContext != null
                ? ClientTls.of(config.sslContext, config.protocols, config.cipherSuites)
                : ClientTls.create(config.trustedCas, config.protocols, config.cipherSuites);
        this.http = new HttpTransport(tls, config.connectTimeout, config.readTimeout);
        this.installation = new InstallationStore(config.stateDirectory, json).loadOrCreate();
        this.jwks = new Jwks(http, URI.create(base + JWKS_PATH), clock);
        this.verifier = new EntitlementVerifier(jwks, config.issuer != null ? config.issuer : base, config.audience,
                installation.clientId(), installation.thumbprint(), clock);
        this.proofs = new DpopProofs(installation, clock);
        this.store = new VerdictStore(config.stateDirectory, json, base, config.licenseKey);
        restore();
        this.reporter = new Reporter(
                new ReportDelivery(http, config.collectorHttps, config.collectorHttp, new ReportSigner(installation)),
                new ReportSpool(config.stateDirectory.resolve("spool"), json, config.spoolCapacity), json, clock,
                config.reporting);
        this.refresher = new ScheduledThreadPoolExecutor(1, refresherThreads);
        refresher.setRemoveOnCancelPolicy(true);
        refresher.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cached verdict from an earlier run, if it still checks out. */
    private void restore() {
        Optional<StoredVerdict> stored = store.load();
        if (!stored.isPresent()) {
            return;
        }
        StoredVerdict verdict = stored.get();
        if (!verdict.valid()) {
            tracker.invalid(verdict.code(), verdict.detail(), verdict.licenseId(), verdict.answeredAt());
            return;
        }
        try {
            jwks.seed(verdict.jwks() == null ? null : JWKSet.parse(verdict.jwks()));
            VerifiedToken token = verifier.verifyCached(verdict.token(), verdict.certificateThumbprint());
            tracker.valid(token, verdict.grace(), verdict.detail(), verdict.answeredAt());
        } catch (TokenException | ParseException e) {
            LOG.warning("ignoring the cached entitlement in {0}: {1}", store.file(), e.getMessage());
        }
    }

    /** Validates now in the background, then before each token expires. Idempotent. */
    public void start() {
        ensureOpen();
        synchronized (schedule) {
            if (started) {
                return;
            }
            started = true;
            reschedule(Duration.ZERO);
        }
    }

    /**
     * Validates now, on the calling thread, and returns the resulting status. Never throws for a network or
     * server problem (see {@link LicenseStatus#lastFailure()}).
     */
    public LicenseStatus validate() {
        ensureOpen();
        Duration after = validateOnce();
        synchronized (schedule) {
            if (started) {
                reschedule(after);
            }
        }
        return status();
    }

    /** The license's state now. Cheap: no I/O. */
    public LicenseStatus status() {
        return tracker.status(clock.instant());
    }

    /** This installation's client id (stable across restarts). */
    public String clientId() {
        return installation.clientId();
    }

    /** The RFC 7638 thumbprint of this installation's key: the {@code cnf.jkt} of its tokens. */
    public String keyThumbprint() {
        return installation.thumbprint();
    }

    /** What became of the TLS-failure reports so far. */
    public ReportingStats.Snapshot reporting() {
        return reporter.stats().snapshot();
    }

    /** Reports waiting in the spool. */
    public int spooledReports() {
        return reporter.spooled();
    }

    /** @return how long until the next check should run */
    private Duration validateOnce() {
        synchronized (validation) {
            Instant started = clock.instant();
            try {
                return check();
            } catch (IOException e) {
                Classification classification = classifier.classify(e);
                tracker.failed(classification.errorClass(), classification.message(), started);
                LOG.info("license check failed: {0}", classification);
                if (classification.reportable()) {
                    report(classification, started);
                }
            } catch (TokenException e) {
                if (e.clockOffset().isPresent()) {
                    refused(refusals.refusedTokenTimes(e.reason(), e.getMessage(), e.clockOffset().get()), started);
                } else {
                    tracker.failed("token." + e.reason(), e.getMessage(), started);
                    LOG.warning("entitlement token refused: {0}", e.getMessage());
                }
            } catch (RefusedException e) {
                refused(e.classification, started);
            } catch (ServerAnswerException e) {
                tracker.failed(e.errorClass, e.getMessage(), started);
                LOG.warning("license server answer not usable: {0}", e.getMessage());
            } catch (RuntimeException e) {
                tracker.failed("sdk.error", e.toString(), started);
                LOG.error("license check failed unexpectedly", e);
            }
            Duration wait = retry;
            retry = retry.multipliedBy(2).compareTo(config.maxRetryInterval) > 0
                    ? config.maxRetryInterval : retry.multipliedBy(2);
            return wait;
        }
    }

    /** A check refused because of this client: kept as its last failure, and reported like a TLS failure. */
    private void refused(Classification classification, Instant started) {
        tracker.failed(classification.errorClass(), classification.message(), started);
        LOG.warning("license check refused because of this client: {0}", classification);
        report(classification, started);
    }

    private void report(Classification classification, Instant occurredAt) {
        reporter.submit(FailureReport.of(json, installation.clientId(), status().licenseId().orElse(null),
                occurredAt, validateUri.toString(), classification, http.tls(), config.appVersion));
    }

    private Duration check() throws IOException, TokenException, ServerAnswerException, RefusedException {
        Instant sentAt = clock.instant();
        HttpResponse response = post();
        if (response.status() == 401 && response.dpopNonce().isPresent()) {
            // RFC 9449 §8: the server wants its nonce in the proof; once is enough.
            sentAt = clock.instant();
            response = post();
        }
        Instant receivedAt = clock.instant();
        if (response.status() != 200) {
            throw new ServerAnswerException("http.error", "the license server answered " + response.status()
                    + ": " + abbreviate(response.bodyText()));
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            throw new ServerAnswerException("http.error", "the license server's answer is not JSON");
        }
        if (answer == null || !answer.path("code").isTextual() || !answer.path("valid").isBoolean()) {
            throw new ServerAnswerException("http.error", "the license server's answer lacks valid and code");
        }
        String code = answer.get("code").asText();
        String detail = answer.path("detail").asText(null);
        JsonNode license = answer.path("license");
        String licenseId = license.path("id").asText(null);
        Instant now = clock.instant();
        if (!answer.get("valid").asBoolean()) {
            if (CLIENT_SIDE_CODES.contains(code)) {
                Optional<Instant> serverDate = response.serverDate();
                Duration offset = serverDate.isPresent()
                        ? RefusalClassifier.offset(serverDate.get(), sentAt, receivedAt) : null;
                throw new RefusedException(refusals.refusedProof(code, detail, offset));
            }
            // A verdict: the next check is a schedule, not a retry. (Refusals above keep backing off.)
            retry = FIRST_RETRY;
            tracker.invalid(code, detail, licenseId, now);
            save(StoredVerdict.invalid(code, detail, licenseId, now));
            return INVALID_RECHECK;
        }
        VerifiedToken token = verifier.verify(answer.path("token").asText(null),
                response.clientCertificateThumbprint().orElse(null));
        retry = FIRST_RETRY;
        Duration grace = grace(license);
        tracker.valid(token, grace, detail, now);
        save(StoredVerdict.valid(detail, token.licenseId(), now, token.token(), grace,
                jwks.current().map(set -> set.toString(true)).orElse(null), token.certificateThumbprint()));
        return untilRefresh(token, now);
    }

    private HttpResponse post() throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("licenseKey", config.licenseKey);
        body.put("clientId", installation.clientId());
        ObjectNode sdk = body.putObject("sdk");
        sdk.put("name", SDK_NAME);
        sdk.put("version", sdkVersion());
        sdk.put("os", cut(System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "")));
        ObjectNode runtime = sdk.putObject("runtime");
        runtime.put("name", cut(System.getProperty("java.runtime.name", "Java")));
        runtime.put("version", cut(System.getProperty("java.runtime.version", System.getProperty("java.version", "?"))));
        runtime.put("vendor", cut(System.getProperty("java.vendor", "?")));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("DPoP", proofs.proof("POST", validateUri, dpopNonce));
        HttpResponse response = http.post(validateUri, headers, json.writeValueAsBytes(body));
        response.dpopNonce().ifPresent(nonce -> dpopNonce = nonce);
        return response;
    }

    private Duration untilRefresh(VerifiedToken token, Instant now) {
        Duration lifetime = Duration.between(token.issuedAt(), token.expiresAt());
        Duration margin = config.refreshMargin.compareTo(lifetime.dividedBy(2)) > 0
                ? lifetime.dividedBy(2) : config.refreshMargin;
        Duration wait = Duration.between(now, token.expiresAt().minus(margin));
        return wait.compareTo(FIRST_RETRY) < 0 ? FIRST_RETRY : wait;
    }

    private static Duration grace(JsonNode license) {
        String text = license.path("gracePeriod").asText(null);
        if (text == null) {
            return Duration.ZERO;
        }
        try {
            Duration grace = Duration.parse(text);
            return grace.isNegative() ? Duration.ZERO : grace;
        } catch (DateTimeParseException e) {
            return Duration.ZERO;
        }
    }

    private void save(StoredVerdict verdict) {
        try {
            store.save(verdict);
        } catch (IOException e) {
            // The verdict holds in memory; only a restart without the server would miss it.
            LOG.warning("cannot write {0}: {1}", store.file(), e.toString());
        }
    }

    private void reschedule(Duration delay) {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        try {
            next = refresher.schedule(this::refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // closed concurrently
        }
    }

    private void refresh() {
        Duration after = validateOnce();
        synchronized (schedule) {
            reschedule(after);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the license client is closed");
        }
    }

    /**
     * Stops the refresher, sends the reports still queued (what cannot be sent goes to the spool) and waits for
     * both threads to end: each wait is bounded by the connect plus read timeout, as a request in flight cannot
     * be interrupted. The cached entitlement and the spool stay on disk.
     */
    @Override
    public void close() {
        synchronized (schedule) {
            if (closed) {
                return;
            }
            closed = true;
        }
        refresher.shutdownNow();
        Duration bound = config.connectTimeout.plus(config.readTimeout).plusSeconds(1);
        try {
            if (!refresher.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)
                    || !refresherThreads.join(Duration.ofSeconds(1))) {
                LOG.warning("the license refresher did not stop within {0}", bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // After the refresher, so that a report of its last check is sent or spooled, not dropped.
        reporter.close(bound);
    }

    private static String withoutTrailingSlash(String text) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String cut(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? "?" : trimmed.length() > 128 ? trimmed.substring(0, 128) : trimmed;
    }

    static String sdkVersion() {
        String version = LicenseClient.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** An answer that is not a verdict (an HTTP error, not JSON, a proof refusal). */
    private static final class ServerAnswerException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String errorClass;

        ServerAnswerException(String errorClass, String message) {
            super(message);
            this.errorClass = errorClass;
        }
    }

    /** A check refused because of this client (its proof, its clock), with the cause named. */
    private static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Classification classification;

        RefusedException(Classification classification) {
            super(classification.message());
            this.classification = classification;
        }
    }

    /** Configures a {@link LicenseClient}; {@link #build()} checks what is required. */
    public static final class Builder {
        private URI serverUrl;
        private String licenseKey;
        private Path stateDirectory;
        private Path trustedCas;
        private SSLContext sslContext;
        private List<String> protocols = Collections.emptyList();
        private List<String> cipherSuites = Collections.emptyList();
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(15);
        private Duration refreshMargin = Duration.ofMinutes(2);
        private Duration maxRetryInterval = Duration.ofMinutes(5);
        private String issuer;
        private String audience = "tlswatch-client";
        private URI collectorHttps;
        private URI collectorHttp;
        private String appVersion;
        private int spoolCapacity = 1000;
        private Reporter.Settings reporting = Reporter.Settings.defaults();

        private Builder() {
        }

        /** The validator's public base URL, e.g. {@code https://licenses.example.com}. Required. */
        public Builder serverUrl(URI value) {
            this.serverUrl = Objects.requireNonNull(value, "serverUrl");
            return this;
        }

        /** The license key as issued. Required. */
        public Builder licenseKey(String value) {
            this.licenseKey = Objects.requireNonNull(value, "licenseKey");
            return this;
        }

        /** Where the installation keeps its identity, cached entitlement and report spool. Required. */
        public Builder stateDirectory(Path value) {
            this.stateDirectory = Objects.requireNonNull(value, "stateDirectory");
            return this;
        }

        /** Trust exactly the CA certificates in this PEM file instead of the runtime's trust store. */
        public Builder trustedCas(Path pemFile) {
            this.trustedCas = Objects.requireNonNull(pemFile, "pemFile");
            return this;
        }

        /** Use this TLS context (the application's own trust, key managers or provider). */
        public Builder sslContext(SSLContext value) {
            this.sslContext = Objects.requireNonNull(value, "sslContext");
            return this;
        }

        /** Enable only these TLS protocols (as an old runtime would be limited), e.g. {@code TLSv1}. */
        public Builder tlsProtocols(String... values) {
            this.protocols = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values)));
            return this;
        }

        /** Enable only these cipher suites. */
        public Builder cipherSuites(String... values) {
            this.cipherSuites = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(values)));
            return this;
        }

        /** The clock for proofs, token times and the grace (tests, or a deliberately skewed simulation). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive(value, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration value) {
            this.readTimeout = positive(value, "readTimeout");
            return this;
        }

        /** How long before a token's expiry to revalidate (at most half its lifetime). Default 2 minutes. */
        public Builder refreshMargin(Duration value) {
            this.refreshMargin = positive(value, "refreshMargin");
            return this;
        }

        /** The longest wait between retries after failures (they back off from 1 s). Default 5 minutes. */
        public Builder maxRetryInterval(Duration value) {
            this.maxRetryInterval = positive(value, "maxRetryInterval");
            return this;
        }

        /** The tokens' expected {@code iss}; by default the server URL. */
        public Builder issuer(String value) {
            this.issuer = Objects.requireNonNull(value, "issuer");
            return this;
        }

        /** The tokens' expected {@code aud}; default {@code tlswatch-client}. */
        public Builder audience(String value) {
            this.audience = Objects.requireNonNull(value, "audience");
            return this;
        }

        /**
         * The collector's HTTPS and plain HTTP base URLs (either may be {@code null}), e.g.
         * {@code https://reports.example.com:8444} and {@code http://reports.example.com:8080}. Without them,
         * failures are spooled until a later run has them.
         */
        public Builder collector(URI https, URI http) {
            this.collectorHttps = https;
            this.collectorHttp = http;
            return this;
        }

        /** The embedding application's version, sent with reports. */
        public Builder appVersion(String value) {
            this.appVersion = value;
            return this;
        }

        /** At most this many reports wait in the spool; the oldest go first. Default 1000. */
        public Builder spoolCapacity(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("spoolCapacity must be at least 1");
            }
            this.spoolCapacity = value;
            return this;
        }

        /** Bounds and pacing of report delivery (queue, batch size, backoff). */
        public Builder reporting(Reporter.Settings value) {
            this.reporting = Objects.requireNonNull(value, "reporting");
            return this;
        }

        /**
         * Creates the client: reads or creates the installation's identity and reads the cached entitlement.
         * No network yet ({@link #start()} or {@link LicenseClient#validate()}).
         *
         * @throws IllegalStateException a required setting is missing
         * @throws UncheckedIOException  the state directory cannot be used
         */
        public LicenseClient build() {
            require(serverUrl, "serverUrl");
            require(licenseKey, "licenseKey");
            require(stateDirectory, "stateDirectory");
            if (!"https".equalsIgnoreCase(serverUrl.getScheme())) {
                throw new IllegalStateException("serverUrl must be https: " + serverUrl);
            }
            if (licenseKey.trim().isEmpty()) {
                throw new IllegalStateException("licenseKey is blank");
            }
            try {
                return new LicenseClient(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot use the state directory " + stateDirectory + ": "
                        + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
            }
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalStateException(name + " is required");
            }
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
