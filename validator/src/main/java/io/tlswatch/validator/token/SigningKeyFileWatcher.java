package io.tlswatch.validator.token;

import io.tlswatch.tlsserver.certificate.FileEvents;
import io.tlswatch.tlsserver.certificate.WatchedFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches {@code token.keyFile} the way certificates are watched (polling every {@code tls.watch.interval}, plus
 * file events, following symbolic links and comparing contents) and hands a changed file to {@link
 * SigningKeys#reload}. A file that does not read as a key file is refused with one WARN line and the keys in use
 * stay: replicas must never stop signing because an edit went wrong.
 */
public final class SigningKeyFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyFileWatcher.class);

    private final Path file;
    private final SigningKeys keys;
    private final KeyReloadMeters meters;
    private final Duration pollEvery;
    private final WatchedFiles watched;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean checkPending = new AtomicBoolean();

    // Owned by the executor's thread.
    private WatchedFiles.Snapshot lastSnapshot;
    private FileEvents fileEvents;

    /**
     * @param keys      the ring loaded from {@code file} at start-up
     * @param pollEvery how often the file is compared even without a file event; positive
     */
    public SigningKeyFileWatcher(Path file, SigningKeys keys, KeyReloadMeters meters, Duration pollEvery) {
        this.file = Objects.requireNonNull(file, "file");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.pollEvery = Objects.requireNonNull(pollEvery, "pollEvery");
        if (pollEvery.isZero() || pollEvery.isNegative()) {
            throw new IllegalArgumentException("the key file poll interval must be positive, got " + pollEvery);
        }
        this.watched = new WatchedFiles(List.of(file));
        this.lastSnapshot = watched.snapshot();
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "token-key-file");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts polling and listening for file events. */
    public void start() {
        long every = pollEvery.toMillis();
        executor.scheduleWithFixedDelay(this::checkGuarded, every, every, TimeUnit.MILLISECONDS);
        fileEvents = FileEvents.start(List.of(file), this::fileChanged, "token-keys");
    }

    private void fileChanged() {
        if (checkPending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    checkPending.set(false);
                    checkGuarded();
                });
            } catch (RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void checkGuarded() {
        try {
            check();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: the file would stop being watched.
            LOG.error("Checking the token signing key file {} failed", file, e);
        }
    }

    private void check() {
        WatchedFiles.Snapshot snapshot = watched.snapshot();
        if (snapshot.equals(lastSnapshot)) {
            return;
        }
        lastSnapshot = snapshot;
        KeyFileContents contents;
        try {
            contents = SigningKeyFile.read(file);
        } catch (SigningKeyException e) {
            meters.failed();
            LOG.warn("Token signing key file {} changed but is refused, still signing with {}: {}", file,
                    keys.current().kid(), e.getMessage());
            return;
        }
        keys.reload(contents);
        meters.reloaded();
    }

    @Override
    public void close() {
        if (fileEvents != null) {
            fileEvents.close();
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
