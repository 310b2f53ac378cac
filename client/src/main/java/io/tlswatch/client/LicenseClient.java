package io.tlswatch.client;

import io.tlswatch.client.ValidationRequest.Call;
import io.tlswatch.client.identity.Installation;
import io.tlswatch.client.log.SdkLog;
import io.tlswatch.client.report.Reporter;
import io.tlswatch.client.report.ReportingStats;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

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
 * ({@value Reporter#THREAD_NAME}), and while the license's policy requires heartbeats one sends them
 * ({@value #HEARTBEAT_THREAD}); {@link #close()} ends them all. No method throws for a network or server problem:
 * those are in {@link LicenseStatus#lastFailure()}.
 */
public final class LicenseClient implements AutoCloseable {

    public static final String REFRESHER_THREAD = "tlswatch-license-refresher";
    public static final String HEARTBEAT_THREAD = "tlswatch-license-heartbeat";
    public static final String SDK_NAME = "tlswatch-java";
    static final String JWKS_PATH = "/.well-known/jwks.json";
    private static final SdkLog LOG = SdkLog.of(LicenseClient.class);

    private final Builder config;
    private final Clock clock;
    private final Installation installation;
    private final EntitlementTracker tracker = new EntitlementTracker();
    private final Reporter reporter;
    private final LicenseCheck exchanges;
    private final RetryingCheck check;
    private final Refresher refresher;
    private final Heartbeats heartbeats;

    private LicenseClient(Builder config) throws IOException, GeneralSecurityException {
        this.config = config;
        this.clock = config.clock;
        ClientParts parts = new ClientParts(config, tracker);
        this.installation = parts.installation;
        this.reporter = parts.reporter;
        this.exchanges = parts.exchanges;
        this.check = parts.check;
        this.refresher = parts.refresher;
        this.heartbeats = parts.heartbeats;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validates now in the background, then before each token expires. Idempotent. */
    public void start() {
        ensureOpen();
        refresher.start();
    }

    /**
     * Validates now, on the calling thread, and returns the resulting status. Never throws for a network or
     * server problem (see {@link LicenseStatus#lastFailure()}).
     */
    public LicenseStatus validate() {
        ensureOpen();
        refresher.checked(check.run());
        return status();
    }

    /**
     * Activates this installation as a machine of the license, on the calling thread, and returns the resulting
     * status: what a license whose policy activates machines explicitly needs before it validates (a status with
     * {@link LicenseStatus#activationRequired()}), and harmless otherwise. The answer is a validation's:
     * {@code VALID} with a token, or {@code TOO_MANY_MACHINES} when no slot is free. Never throws for a network
     * or server problem (see {@link LicenseStatus#lastFailure()}).
     */
    public LicenseStatus activate() {
        return activate(null);
    }

    /** {@link #activate()}, naming the machine (e.g. the host name) for the vendor's machine list. */
    public LicenseStatus activate(String machineName) {
        ensureOpen();
        refresher.checked(check.run(Call.ACTIVATE, () -> exchanges.activate(machineName)));
        return status();
    }

    /**
     * Gives this machine's slot back to the license (on uninstall, or to move the license to another machine), on
     * the calling thread. Once the server has answered ({@code DEACTIVATED}, or {@code NO_MACHINE} when this
     * machine held no slot), this client holds no entitlement: the status is {@link LicenseState#INVALID} with
     * that code, the cached entitlement is replaced by it, heartbeats stop and background checks stop until
     * {@link #start()} (a check could activate the machine anew). When the server could not be reached, nothing
     * changed: the machine still holds its slot, {@link LicenseStatus#lastFailure()} says why, and a later call
     * may try again.
     */
    public LicenseStatus deactivate() {
        ensureOpen();
        boolean wasRunning = refresher.halt();
        if (check.attempt(Call.DEACTIVATE, exchanges::deactivate) == null && wasRunning) {
            refresher.start();
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

    private void ensureOpen() {
        if (refresher.closed()) {
            throw new IllegalStateException("the license client is closed");
        }
    }

    /**
     * Stops the refresher and the heartbeats, sends the reports still queued (what cannot be sent goes to the
     * spool) and waits for the threads to end: each wait is bounded by the connect plus read timeout, as a
     * request in flight cannot be interrupted. The cached entitlement and the spool stay on disk; the machine
     * keeps its slot (see {@link #deactivate()}).
     */
    @Override
    public void close() {
        Duration bound = config.connectTimeout.plus(config.readTimeout).plusSeconds(1);
        if (refresher.close(bound)) {
            if (!heartbeats.close(bound)) {
                LOG.warning("the heartbeat thread did not stop within {0}", bound);
            }
            // After the refresher and heartbeats, so that a report of their last exchange is sent, not dropped.
            reporter.close(bound);
        }
    }

    static String sdkVersion() {
        String version = LicenseClient.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** Configures a {@link LicenseClient}; {@link #build()} checks what is required. */
    public static final class Builder {
        URI serverUrl;
        String licenseKey;
        Path stateDirectory;
        Path trustedCas;
        SSLContext sslContext;
        List<String> protocols = Collections.emptyList();
        List<String> cipherSuites = Collections.emptyList();
        Clock clock = Clock.systemUTC();
        Duration connectTimeout = Duration.ofSeconds(10);
        Duration readTimeout = Duration.ofSeconds(15);
        Duration refreshMargin = Duration.ofMinutes(2);
        Duration maxRetryInterval = Duration.ofMinutes(5);
        String issuer;
        String audience = "tlswatch-client";
        URI collectorHttps;
        URI collectorHttp;
        String appVersion;
        int spoolCapacity = 1000;
        Reporter.Settings reporting = Reporter.Settings.defaults();
        List<String> entitlements = Collections.emptyList();

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

        /**
         * Entitlements the application needs: every check (and activation) asks for them, and a license that
         * lacks one of them, or whose policy does not allow asking for it, is refused with
         * {@code ENTITLEMENTS_MISSING}. By default nothing in particular is asked for.
         */
        public Builder entitlements(String... values) {
            List<String> asked = new ArrayList<>();
            for (String value : values) {
                if (value == null || value.trim().isEmpty()) {
                    throw new IllegalArgumentException("an entitlement is blank");
                }
                asked.add(value);
            }
            this.entitlements = Collections.unmodifiableList(asked);
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
