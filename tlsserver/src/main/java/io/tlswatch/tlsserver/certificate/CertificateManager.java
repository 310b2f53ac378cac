package io.tlswatch.tlsserver.certificate;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.tlsserver.tls.ServerTlsContext;
import io.tlswatch.tlsserver.tls.ServerTlsSource;
import io.tlswatch.tlsserver.tls.TlsConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;

/**
 * Serves a certificate that can be replaced without a restart, with its OCSP response stapled.
 *
 * <p>It watches the key and chain files (polling every {@code tls.watch.interval}, plus file events, following
 * symbolic links and comparing contents), and on a change reads, checks and builds the new context on its own
 * thread, never on an event loop. A valid change is swapped in atomically: each new connection takes the context
 * current at its start ({@link #newHandler}); connections already open keep theirs. An invalid change is refused
 * (logged with the reason, counted, a {@code rotation_refused} event), and the last good certificate keeps
 * serving: there is never a moment without one.
 *
 * <p>For OCSP it asks the leaf's responder, checks the answer ({@link OcspResponseChecker}), staples a good one
 * to each new connection until its {@code nextUpdate} (OpenSSL provider only), refreshes at half its lifetime and
 * retries failures with jittered backoff. A revoked, unknown, invalid or stale response is never stapled.
 */
public final class CertificateManager implements ServerTlsSource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CertificateManager.class);

    /** Changed files are read once they stayed the same this long (a chain and a key are two writes). */
    static final Duration SETTLE = Duration.ofMillis(300);
    static final Duration EXPIRY_TICK = Duration.ofMinutes(1);

    private final CertificateSettings settings;
    private final CertificateLoader loader;
    private final CertificateTelemetry telemetry;
    private final Clock clock;
    private final ExpiryTracker expiry;
    private final OcspRefresher ocsp;
    private final boolean stapling;
    private final ScheduledExecutorService executor;
    private final AtomicReference<Serving> serving;
    private final FileWatch fileWatch;

    // Owned by the executor's thread.
    private ScheduledFuture<?> ocspTask;

    /**
     * @param initial what {@link #loadInitial} gave, built by {@code loader}
     */
    public CertificateManager(CertificateSettings settings, CertificateLoader loader, CertificateCandidate.Accepted initial,
                              CertificateTelemetry telemetry, Clock clock) {
        this(settings, loader, initial, telemetry, clock, RandomGenerator.getDefault());
    }

    CertificateManager(CertificateSettings settings, CertificateLoader loader, CertificateCandidate.Accepted initial,
                       CertificateTelemetry telemetry, Clock clock, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.expiry = new ExpiryTracker(settings.expiryWarnDays());
        this.stapling = settings.ocsp().enabled() && initial.context().provider() == TlsProvider.OPENSSL
                && OpenSsl.isOcspSupported();
        this.ocsp = settings.ocsp().enabled()
                ? new OcspRefresher(settings.name(), settings.ocsp(), loader.validator(),
                new OcspClient(settings.ocsp().timeout()), new OcspResponseChecker(),
                new RefreshSchedule(settings.ocsp().retryMin(), settings.ocsp().retryMax(), random), telemetry, clock,
                stapling)
                : null;
        this.serving = new AtomicReference<>(new Serving(initial, null));
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certificate-" + settings.name());
            thread.setDaemon(true);
            return thread;
        });
        this.fileWatch = new FileWatch(executor, new WatchedFiles(settings.source()), settings.watchInterval(), SETTLE, settings.name(),
                guarded(this::filesChanged));
        // On the JDK provider nothing is stapled, whatever was fetched: the staple meters say so.
        telemetry.register(() -> serving.get().accepted().leaf(), () -> stapling ? usableStaple() : null);
    }

    /**
     * Reads and checks the configured files for start-up.
     *
     * @throws TlsConfigurationException with the reason when they cannot be served
     */
    public static CertificateCandidate.Accepted loadInitial(CertificateLoader loader) {
        CertificateCandidate candidate = loader.loadInitial();
        if (candidate instanceof CertificateCandidate.Refused refused) {
            throw new TlsConfigurationException(refused.reason());
        }
        return (CertificateCandidate.Accepted) candidate;
    }

    /**
     * Emits {@code loaded}, starts watching the files and, when OCSP is enabled, fetches the first response
     * (waiting for it up to {@code ocsp.timeout}, so that the first connections already get a staple).
     */
    public void start() {
        CertificateCandidate.Accepted initial = serving.get().accepted();
        X509Certificate leaf = initial.leaf();
        log.info("certificate {}: serving serial {} ({}), valid until {}", settings.name(),
                CertificateFacts.serial(leaf), CertificateFacts.subject(leaf), leaf.getNotAfter().toInstant());
        if (initial.warning() != null) {
            log.warn("certificate {}: {}; served anyway since nothing else is configured", settings.name(),
                    initial.warning());
        }
        if (settings.ocsp().enabled() && initial.context().provider() == TlsProvider.JDK) {
            log.info("certificate {}: OCSP stapling is not available with the JDK TLS provider through Netty: "
                    + "responses are fetched and checked (events, metrics) but not stapled", settings.name());
        }
        telemetry.loaded(leaf);
        executor.execute(guarded(() -> track(leaf)));
        executor.scheduleWithFixedDelay(guarded(this::checkExpiry), EXPIRY_TICK.toMillis(),
                EXPIRY_TICK.toMillis(), TimeUnit.MILLISECONDS);
        fileWatch.start();
        if (ocsp != null) {
            CompletableFuture<Void> first = CompletableFuture.runAsync(guarded(this::refreshOcsp), executor);
            try {
                first.get(settings.ocsp().timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                log.warn("certificate {}: no OCSP response within {} at start-up, going on without a staple",
                        settings.name(), settings.ocsp().timeout());
            }
        }
    }

    @Override
    public ServerTlsContext current() {
        return serving.get().accepted().context();
    }

    /** The handler of one new connection: the current context, with the current staple where one may be stapled. */
    @Override
    public SslHandler newHandler(ByteBufAllocator alloc) {
        Serving now = serving.get();
        SslHandler handler = now.accepted().context().sslContext().newHandler(alloc);
        if (stapling && now.staple() != null && now.staple().usableAt(clock.instant())
                && handler.engine() instanceof ReferenceCountedOpenSslEngine engine) {
            engine.setOcspResponse(now.staple().encoded());
        }
        return handler;
    }

    /** The certificate served to new connections now. */
    public X509Certificate currentLeaf() {
        return serving.get().accepted().leaf();
    }

    /** The DER OCSP response new connections get stapled now; empty when none is (or stapling is unavailable). */
    public Optional<byte[]> currentStaple() {
        Staple staple = stapling ? usableStaple() : null;
        return staple == null ? Optional.empty() : Optional.of(staple.encoded().clone());
    }

    /** Whether this manager staples at all: OCSP enabled, the OpenSSL provider, and OCSP support in it. */
    public boolean staples() {
        return stapling;
    }

    /**
     * Compares the files now rather than at the next poll; completes when the comparison is done (a change is
     * read {@link #SETTLE} later, once the files stopped changing).
     */
    public CompletableFuture<Void> checkNow() {
        return fileWatch.checkNow();
    }

    /** Fetches an OCSP response now rather than when it is due; completes when it is handled. */
    public CompletableFuture<Void> refreshOcspNow() {
        return CompletableFuture.runAsync(guarded(this::refreshOcsp), executor);
    }

    @Override
    public void close() {
        fileWatch.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Staple usableStaple() {
        Staple staple = serving.get().staple();
        return staple != null && staple.usableAt(clock.instant()) ? staple : null;
    }

    /** The files changed and settled: reads them, and serves them if they are accepted and new. */
    private void filesChanged() {
        Serving current = serving.get();
        String servingSerial = CertificateFacts.serial(current.accepted().leaf());
        CertificateCandidate candidate = loader.load();
        if (candidate instanceof CertificateCandidate.Refused refused) {
            log.warn("certificate {}: changed files refused, still serving serial {}: {}", settings.name(),
                    servingSerial, refused.reason());
            telemetry.refused(refused.reason(), refused.leaf(), servingSerial);
            return;
        }
        CertificateCandidate.Accepted accepted = (CertificateCandidate.Accepted) candidate;
        if (accepted.material().chain().equals(current.accepted().material().chain())
                && accepted.material().privateKey().equals(current.accepted().material().privateKey())) {
            return; // rewritten with the same content, or a file event for an unrelated file
        }
        X509Certificate leaf = accepted.leaf();
        Staple staple = null;
        if (ocsp != null) {
            // Fetched before the swap, so that new connections get the new certificate and its staple together.
            cancelOcsp();
            ocsp.reset();
            staple = handleOcsp(accepted, null);
        }
        serving.set(new Serving(accepted, staple));
        log.info("certificate {}: rotated from serial {} to serial {} ({}), valid until {}", settings.name(),
                servingSerial, CertificateFacts.serial(leaf), CertificateFacts.subject(leaf),
                leaf.getNotAfter().toInstant());
        telemetry.rotated(leaf, servingSerial);
        track(leaf);
    }

    /** Starts the expiry warnings over for a newly served certificate, with a check due at its very expiry. */
    private void track(X509Certificate leaf) {
        expiry.track(CertificateFacts.serial(leaf), leaf.getNotAfter().toInstant());
        checkExpiry();
        long untilExpiry = Duration.between(clock.instant(), leaf.getNotAfter().toInstant()).toMillis() + 1;
        if (untilExpiry > 0) {
            executor.schedule(guarded(this::checkExpiry), untilExpiry, TimeUnit.MILLISECONDS);
        }
    }

    private void checkExpiry() {
        X509Certificate leaf = serving.get().accepted().leaf();
        Instant now = clock.instant();
        OptionalInt threshold = expiry.crossedThreshold(now);
        if (threshold.isPresent()) {
            log.warn("certificate {}: serial {} expires at {}, within {} days", settings.name(),
                    CertificateFacts.serial(leaf), leaf.getNotAfter().toInstant(), threshold.getAsInt());
            telemetry.expiring(leaf, threshold.getAsInt());
        }
        if (expiry.newlyExpired(now)) {
            log.error("certificate {}: serial {} expired at {}: clients refuse it until it is replaced",
                    settings.name(), CertificateFacts.serial(leaf), leaf.getNotAfter().toInstant());
            telemetry.expired(leaf);
        }
    }

    private void refreshOcsp() {
        Serving current = serving.get();
        Staple staple = handleOcsp(current.accepted(), current.staple());
        Serving now = serving.get();
        if (now.accepted() == current.accepted()) {
            serving.set(new Serving(current.accepted(), staple));
        }
    }

    /** One round of OCSP, then the next one scheduled; answers the staple to serve from now on. */
    private Staple handleOcsp(CertificateCandidate.Accepted material, Staple held) {
        OcspRefresher.Round round = ocsp.refresh(material, held);
        if (round.next() == null) {
            cancelOcsp();
        } else {
            scheduleOcsp(round.next());
        }
        if (round.staple() != null && round.staple() != held) {
            scheduleStapleExpiry(round.staple());
        }
        return round.staple();
    }

    private void scheduleOcsp(Duration delay) {
        cancelOcsp();
        ocspTask = executor.schedule(guarded(this::refreshOcsp), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelOcsp() {
        if (ocspTask != null) {
            ocspTask.cancel(false);
            ocspTask = null;
        }
    }

    /** Says so, once, when a staple runs out without a fresh one to replace it. */
    private void scheduleStapleExpiry(Staple staple) {
        long delay = Math.max(0, Duration.between(clock.instant(), staple.nextUpdate()).toMillis() + 1);
        executor.schedule(guarded(() -> {
            Serving current = serving.get();
            if (current.staple() == staple) {
                serving.set(new Serving(current.accepted(), null));
                log.warn("certificate {}: the OCSP response ran out at {} with no fresh one: no longer stapled",
                        settings.name(), staple.nextUpdate());
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    /** Keeps a scheduled task alive: one that throws would never run again. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("certificate {}: unexpected failure in the certificate manager", settings.name(), e);
            }
        };
    }

    /** What new connections get: a context, and the staple that goes with its leaf. */
    private record Serving(CertificateCandidate.Accepted accepted, Staple staple) {
    }
}
