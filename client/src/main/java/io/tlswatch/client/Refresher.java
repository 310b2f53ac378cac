package io.tlswatch.client;

import io.tlswatch.client.log.SdkLog;
import io.tlswatch.client.thread.DaemonThreads;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The daemon thread ({@value LicenseClient#REFRESHER_THREAD}) that runs the checks in the background, each when
 * the previous one said the next is due.
 */
final class Refresher {

    private static final SdkLog LOG = SdkLog.of(LicenseClient.class);

    private final RetryingCheck check;
    private final DaemonThreads threads = new DaemonThreads(LicenseClient.REFRESHER_THREAD);
    private final ScheduledThreadPoolExecutor executor;
    private final Object schedule = new Object();
    private ScheduledFuture<?> next;
    private volatile boolean started;
    private volatile boolean closed;

    Refresher(RetryingCheck check) {
        this.check = check;
        this.executor = new ScheduledThreadPoolExecutor(1, threads);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    boolean closed() {
        return closed;
    }

    /** Checks now in the background, then whenever due. Idempotent. */
    void start() {
        synchronized (schedule) {
            if (started) {
                return;
            }
            started = true;
            reschedule(Duration.ZERO);
        }
    }

    /** A check ran on another thread: once started, the next one is due {@code after} from now. */
    void checked(Duration after) {
        synchronized (schedule) {
            if (started) {
                reschedule(after);
            }
        }
    }

    /**
     * Stops the background checks (this client gave its machine up: a check could activate it anew) until
     * {@link #start()} is called again. A check in flight completes, and schedules nothing.
     *
     * @return whether they were running
     */
    boolean halt() {
        synchronized (schedule) {
            boolean was = started;
            started = false;
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            return was;
        }
    }

    /**
     * Stops the thread and waits up to {@code bound} for a check in flight.
     *
     * @return false when it was closed already
     */
    boolean close(Duration bound) {
        synchronized (schedule) {
            if (closed) {
                return false;
            }
            closed = true;
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)
                    || !threads.join(Duration.ofSeconds(1))) {
                LOG.warning("the license refresher did not stop within {0}", bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private void reschedule(Duration delay) {
        if (closed) {
            return;
        }
        if (next != null) {
            next.cancel(false);
        }
        try {
            next = executor.schedule(this::refresh, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // closed concurrently
        }
    }

    private void refresh() {
        Duration after = check.run();
        synchronized (schedule) {
            if (started) {
                reschedule(after);
            }
        }
    }
}
