package io.tlswatch.validator.token;

import io.tlswatch.tlsserver.certificate.FileWatch;
import io.tlswatch.tlsserver.certificate.WatchedFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches {@code token.keyFile} the way certificates are watched (polling every {@code tls.watch.interval}, plus
 * file events, following symbolic links and comparing contents) and hands a changed file to {@link
 * SigningKeys#reload}. A file that does not read as a key file is refused with one WARN line and the keys in use
 * stay: replicas must never stop signing because an edit went wrong.
 */
public final class SigningKeyFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyFileWatcher.class);
    /** As for certificates: a file written in two steps is read once it stayed the same this long. */
    static final Duration SETTLE = Duration.ofMillis(300);

    private final Path file;
    private final SigningKeys keys;
    private final KeyReloadMeters meters;
    private final ScheduledExecutorService executor;
    private final FileWatch watch;

    /**
     * @param keys      the ring loaded from {@code file} at start-up
     * @param pollEvery how often the file is compared even without a file event; positive
     */
    public SigningKeyFileWatcher(Path file, SigningKeys keys, KeyReloadMeters meters, Duration pollEvery) {
        this.file = Objects.requireNonNull(file, "file");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.meters = Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(pollEvery, "pollEvery");
        if (pollEvery.isZero() || pollEvery.isNegative()) {
            throw new IllegalArgumentException("the key file poll interval must be positive, got " + pollEvery);
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "token-key-file");
            thread.setDaemon(true);
            return thread;
        });
        this.watch = new FileWatch(executor, new WatchedFiles(List.of(file)), pollEvery, SETTLE, "token-keys",
                this::reload);
    }

    /** Starts polling and listening for file events. */
    public void start() {
        watch.start();
    }

    /** Compares the file now rather than at the next poll; completes when the comparison is done. */
    public CompletableFuture<Void> checkNow() {
        return watch.checkNow();
    }

    private void reload() {
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
        watch.close();
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
