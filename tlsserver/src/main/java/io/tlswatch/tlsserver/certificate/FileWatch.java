package io.tlswatch.tlsserver.certificate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells its owner when watched files have changed and then stayed the same for a moment: polled every
 * {@code pollEvery}, and sooner on a file event, comparing contents through symbolic links ({@link WatchedFiles}).
 * The certificate files and the token key file are watched the same way (docs/tls.md, "Certificate rotation").
 *
 * <p>Everything runs on the owner's single-threaded executor, so the owner's change handler never races its
 * other tasks. A burst of file events makes one comparison, and a change is handed over only once the files
 * stayed the same for {@code settle}: a chain and a key written one after the other are not read as a mismatched
 * pair in between. The executor belongs to the owner, who shuts it down after {@link #close()}.
 */
public final class FileWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileWatch.class);

    private final ScheduledExecutorService executor;
    private final WatchedFiles files;
    private final Duration pollEvery;
    private final Duration settle;
    private final String name;
    private final Runnable onChange;
    private final AtomicBoolean checkPending = new AtomicBoolean();

    // Owned by the executor's thread.
    private WatchedFiles.Snapshot lastSnapshot;
    private WatchedFiles.Snapshot settling;
    private long settlingSince;
    private volatile FileEvents fileEvents;

    /**
     * @param pollEvery how often the files are compared even without a file event; zero watches nothing (only
     *                  {@link #checkNow()} compares)
     * @param name      for log lines and the file-event thread
     * @param onChange  run on {@code executor} once changed files have settled
     */
    public FileWatch(ScheduledExecutorService executor, WatchedFiles files, Duration pollEvery, Duration settle,
                     String name, Runnable onChange) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.files = Objects.requireNonNull(files, "files");
        this.pollEvery = Objects.requireNonNull(pollEvery, "pollEvery");
        this.settle = Objects.requireNonNull(settle, "settle");
        this.name = Objects.requireNonNull(name, "name");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        if (pollEvery.isNegative()) {
            throw new IllegalArgumentException("the poll interval must not be negative, got " + pollEvery);
        }
        this.lastSnapshot = files.snapshot();
    }

    /** Starts polling and listening for file events, unless the poll interval is zero. */
    public void start() {
        if (pollEvery.isZero()) {
            return;
        }
        long every = pollEvery.toMillis();
        executor.scheduleWithFixedDelay(this::checkGuarded, every, every, TimeUnit.MILLISECONDS);
        fileEvents = FileEvents.start(files.paths(), this::fileChanged, name);
    }

    /**
     * Compares the files now rather than at the next poll; completes when the comparison is done (a change is
     * handed over {@code settle} later, once the files stopped changing).
     */
    public CompletableFuture<Void> checkNow() {
        return CompletableFuture.runAsync(this::checkGuarded, executor);
    }

    /** Stops the file events; the owner shuts its executor down, which ends the polling. */
    @Override
    public void close() {
        FileEvents events = fileEvents;
        if (events != null) {
            events.close();
        }
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
            // A scheduled task that throws is never run again: the files would stop being watched.
            log.error("{}: checking the watched files failed", name, e);
        }
    }

    private void check() {
        WatchedFiles.Snapshot snapshot = files.snapshot();
        if (snapshot.equals(lastSnapshot)) {
            settling = null;
            return;
        }
        long now = System.nanoTime();
        if (!snapshot.equals(settling)) {
            settling = snapshot;
            settlingSince = now;
            try {
                executor.schedule(this::checkGuarded, settle.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // closing
            }
            return;
        }
        if (now - settlingSince < settle.toNanos()) {
            return; // the check scheduled above comes
        }
        settling = null;
        lastSnapshot = snapshot;
        onChange.run();
    }
}
