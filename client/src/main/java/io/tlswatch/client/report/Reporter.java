package io.tlswatch.client.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.client.log.SdkLog;
import io.tlswatch.client.thread.DaemonThreads;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Delivers failure reports without ever holding up or failing the application: {@link #submit} only queues
 * (a bounded number; beyond it the report is dropped and counted), and one daemon thread of its own sends
 * each report at once (HTTPS, then HTTP), puts what could not be sent in the spool, and sends the spool in
 * batches of {@code {"reports": [...]}} with exponential backoff (honouring a collector's {@code Retry-After})
 * until it is empty. Every exception is caught and counted in {@link ReportingStats}.
 */
public final class Reporter implements AutoCloseable {

    private static final SdkLog LOG = SdkLog.of(Reporter.class);
    public static final String THREAD_NAME = "tlswatch-report-sender";

    private final ReportDelivery delivery;
    private final ReportSpool spool;
    private final ObjectMapper json;
    private final Clock clock;
    private final Settings settings;
    private final ReportingStats stats = new ReportingStats();
    private final DaemonThreads threads = new DaemonThreads(THREAD_NAME);
    private final ScheduledThreadPoolExecutor executor;
    private final Queue<FailureReport> pending = new ConcurrentLinkedQueue<>();
    private Duration backoff;
    private ScheduledFuture<?> flush;

    public Reporter(ReportDelivery delivery, ReportSpool spool, ObjectMapper json, Clock clock, Settings settings) {
        this.delivery = delivery;
        this.spool = spool;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.backoff = settings.initialBackoff;
        this.executor = new ScheduledThreadPoolExecutor(1, threads);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // Reports spooled by an earlier run go out once this one starts.
        executor.execute(() -> scheduleFlush(Duration.ZERO));
    }

    public ReportingStats stats() {
        return stats;
    }

    /** Queues a report; returns at once, whatever happens to it. */
    public void submit(FailureReport report) {
        stats.made.incrementAndGet();
        if (executor.isShutdown() || pending.size() >= settings.maxQueued) {
            stats.dropped.incrementAndGet();
            return;
        }
        pending.add(report);
        try {
            executor.execute(this::drain);
        } catch (RuntimeException e) {
            // closed meanwhile: close() spools what is still pending
        }
    }

    private void drain() {
        FailureReport report;
        while (!Thread.currentThread().isInterrupted() && (report = pending.poll()) != null) {
            sendNow(report);
        }
    }

    private void sendNow(FailureReport report) {
        try {
            ReportDelivery.Result result = delivery.configured()
                    ? delivery.send(json.writeValueAsBytes(report.sent(clock.instant())))
                    : ReportDelivery.Result.failed("no collector configured", null);
            if (result.delivered()) {
                (result.channel() == ReportDelivery.Channel.HTTPS ? stats.deliveredHttps : stats.deliveredHttp)
                        .incrementAndGet();
                LOG.debug("report {0} ({1}) delivered over {2}", report.reportId(),
                        report.errorClass(), result.channel());
            } else if (result.rejected()) {
                stats.rejected.incrementAndGet();
                LOG.warning("collector refused report {0}: {1}", report.reportId(),
                        result.problem());
            } else {
                stats.dropped.addAndGet(spool.add(report));
                stats.spooled.incrementAndGet();
                LOG.info("report {0} spooled: {1}", report.reportId(), result.problem());
                scheduleFlush(result.retryAfter() != null ? result.retryAfter() : backoff);
            }
        } catch (IOException | RuntimeException e) {
            stats.errors.incrementAndGet();
            LOG.warning("report {0} lost: {1}", report.reportId(), e.toString());
        }
    }

    private void scheduleFlush(Duration delay) {
        if (flush != null && !flush.isDone()) {
            return;
        }
        try {
            flush = executor.schedule(this::flushSpool, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // shut down: the spool stays for the next run
        }
    }

    private void flushSpool() {
        try {
            List<ReportSpool.Spooled> batch = spool.oldest(settings.batchSize);
            if (batch.isEmpty() || !delivery.configured()) {
                return;
            }
            ReportDelivery.Result result = delivery.send(batchBody(batch));
            if (result.delivered()) {
                for (ReportSpool.Spooled spooled : batch) {
                    spool.remove(spooled);
                }
                stats.deliveredFromSpool.addAndGet(batch.size());
                backoff = settings.initialBackoff;
                flush = null;
                scheduleFlush(Duration.ZERO);
            } else if (result.rejected()) {
                // One bad report must not hold the others back: each goes alone, and only it is refused.
                sendOneByOne(batch);
                flush = null;
                scheduleFlush(backoff);
            } else {
                Duration wait = result.retryAfter() != null && result.retryAfter().compareTo(backoff) > 0
                        ? result.retryAfter() : backoff;
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff) > 0
                        ? settings.maxBackoff : backoff.multipliedBy(2);
                flush = null;
                scheduleFlush(wait);
            }
        } catch (IOException | RuntimeException e) {
            stats.errors.incrementAndGet();
            flush = null;
            scheduleFlush(settings.maxBackoff);
        }
    }

    private void sendOneByOne(List<ReportSpool.Spooled> batch) throws IOException {
        for (ReportSpool.Spooled spooled : batch) {
            ReportDelivery.Result one = delivery.send(json.writeValueAsBytes(spooled.report().sent(clock.instant())));
            if (one.delivered()) {
                stats.deliveredFromSpool.incrementAndGet();
                spool.remove(spooled);
            } else if (one.rejected()) {
                stats.rejected.incrementAndGet();
                spool.remove(spooled);
            } else {
                return;
            }
        }
    }

    private byte[] batchBody(List<ReportSpool.Spooled> batch) throws IOException {
        ObjectNode root = json.createObjectNode();
        ArrayNode reports = root.putArray("reports");
        for (ReportSpool.Spooled spooled : batch) {
            reports.add(spooled.report().sent(clock.instant()));
        }
        return json.writeValueAsBytes(root);
    }

    /** Reports waiting in the spool (0 when it cannot be read). */
    public int spooled() {
        try {
            return spool.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Sends what is queued, within {@code timeout}, then stops; a queued report that could not be sent by then
     * is spooled, and the spool stays for the next run. Spooled reports waiting for their retry are not sent
     * now: closing must not wait for a backoff.
     */
    public void close(Duration timeout) {
        executor.shutdown();
        try {
            if (executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                threads.join(Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            executor.shutdownNow();
        }
        FailureReport report;
        while ((report = pending.poll()) != null) {
            try {
                stats.dropped.addAndGet(spool.add(report));
                stats.spooled.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                stats.errors.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /** Bounds and pacing. */
    public static final class Settings {
        final int maxQueued;
        final int batchSize;
        final Duration initialBackoff;
        final Duration maxBackoff;

        public Settings(int maxQueued, int batchSize, Duration initialBackoff, Duration maxBackoff) {
            if (maxQueued < 1 || batchSize < 1 || initialBackoff.isNegative() || initialBackoff.isZero()
                    || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("reporting bounds out of range");
            }
            this.maxQueued = maxQueued;
            this.batchSize = batchSize;
            this.initialBackoff = initialBackoff;
            this.maxBackoff = maxBackoff;
        }

        public static Settings defaults() {
            return new Settings(100, 100, Duration.ofSeconds(5), Duration.ofMinutes(10));
        }
    }
}
