package io.tlswatch.notifier.delivery;

import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.DeadLetterReason;
import io.tlswatch.contract.event.DeliveryAttempt;
import io.tlswatch.contract.ratelimit.TokenBucket;
import io.tlswatch.notifier.config.DeliverySettings;
import io.tlswatch.notifier.destination.Destination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Delivers alerts to one target, one request at a time and in the order they were handed over, so that a
 * resolve never overtakes its trigger. Its own thread owns the queue, the rate limit and the retry timer;
 * requests go out through the shared {@link HttpClient} asynchronously, so no thread waits on a target, and a
 * target that fails holds up only its own queue.
 *
 * <p>A delivery ends either accepted by the target or written to the dead-letter topic (a permanent refusal,
 * or {@code maxAttempts} transient failures); only then is the caller told, so the alert's offset is committed
 * only when nothing more is owed to this target. What is still queued when the dispatcher closes is dropped
 * without telling: its offset stays uncommitted, and the next notifier to read it delivers it again.
 */
public final class TargetDispatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetDispatcher.class);
    /** Enough of an answer's body to explain a refusal. */
    static final int MAX_BODY = 8 * 1024;
    private static final Duration BODY_GRACE = Duration.ofSeconds(5);

    private final Destination target;
    private final HttpClient http;
    private final ResponseClassifier classifier = new ResponseClassifier();
    private final Backoff backoff;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    private final TokenBucket bucket;
    private final DeadLetters deadLetters;
    private final DeliveryMetrics metrics;
    private final String source;
    private final Clock clock;
    private final int capacity;
    private final ScheduledExecutorService executor;
    private final AtomicInteger pending = new AtomicInteger();

    // Owned by the executor thread.
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private Job current;
    private boolean inFlight;
    private boolean timerArmed;

    /** One alert on its way to this target. */
    private static final class Job {
        final AlertEvent alert;
        final Consumer<DeliveryMetrics.Result> done;
        final long handedOver = System.nanoTime();
        final List<DeliveryAttempt> attempts = new ArrayList<>();
        long notBefore = handedOver;

        Job(AlertEvent alert, Consumer<DeliveryMetrics.Result> done) {
            this.alert = alert;
            this.done = done;
        }
    }

    public TargetDispatcher(Destination target, HttpClient http, DeliverySettings settings, int maxAttempts,
                            int ratePerMinute, int capacity, DeadLetters deadLetters,
                            io.micrometer.core.instrument.MeterRegistry meters, String source, Clock clock,
                            RandomGenerator random) {
        this.target = target;
        this.http = http;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
        this.maxAttempts = maxAttempts;
        this.maxRetryAfter = settings.maxRetryAfter();
        this.bucket = TokenBucket.perMinute(ratePerMinute, System.nanoTime());
        this.deadLetters = deadLetters;
        this.source = source;
        this.clock = clock;
        this.capacity = capacity;
        this.metrics = new DeliveryMetrics(meters, target.name(), target.kind().configName(), pending::get, capacity);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "notifier-target-" + target.name());
            thread.setDaemon(true);
            return thread;
        });
    }

    public String name() {
        return target.name();
    }

    /** Whether the queue is below its bound; the consumer stops reading while any target's is not. */
    public boolean hasRoom() {
        return pending.get() < capacity;
    }

    /** Alerts handed over and not finished yet. */
    public int depth() {
        return pending.get();
    }

    /**
     * Queues {@code alert}; {@code done} runs once on the dispatcher's thread when the target accepted it or it
     * was dead-lettered. Never blocks and never drops: the bound is kept by the caller through {@link #hasRoom}.
     */
    public void submit(AlertEvent alert, Consumer<DeliveryMetrics.Result> done) {
        pending.incrementAndGet();
        try {
            executor.execute(() -> {
                queue.add(new Job(alert, done));
                pump();
            });
        } catch (RejectedExecutionException e) {
            pending.decrementAndGet();
        }
    }

    private void pump() {
        if (inFlight || timerArmed) {
            return;
        }
        if (current == null) {
            current = queue.poll();
            if (current == null) {
                return;
            }
        }
        long now = System.nanoTime();
        long wait = Math.max(0, current.notBefore - now);
        if (wait == 0) {
            wait = bucket.take(1, now);
        }
        if (wait > 0) {
            timerArmed = true;
            executor.schedule(() -> {
                timerArmed = false;
                pump();
            }, wait, TimeUnit.NANOSECONDS);
            return;
        }
        send(current);
    }

    private void send(Job job) {
        HttpRequest request;
        try {
            request = target.request(job.alert);
        } catch (RuntimeException e) {
            answered(job, classifier.classify(e));
            return;
        }
        inFlight = true;
        // The request timeout ends the wait for the answer's head; this one also ends a body that trickles.
        Duration limit = request.timeout().orElse(Duration.ofSeconds(30)).plus(BODY_GRACE);
        http.sendAsync(request, BoundedBody.handler(MAX_BODY))
                .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((response, failure) -> {
                    inFlight = false;
                    answered(job, failure != null ? classifier.classify(failure)
                            : classifier.classify(response.statusCode(), response.headers().firstValue("Retry-After"),
                            response.body(), clock.instant()));
                }, executor);
    }

    private void answered(Job job, Verdict verdict) {
        int attempt = job.attempts.size() + 1;
        job.attempts.add(new DeliveryAttempt(attempt, clock.instant(), verdict.outcome(), verdict.statusCode(),
                target.redact(verdict.message()), verdict.retryAfter()));
        metrics.attempt(verdict.outcome());
        if (verdict.accepted()) {
            current = null;
            finish(job, DeliveryMetrics.Result.DELIVERED);
        } else if (!verdict.retryable() || attempt >= maxAttempts) {
            current = null;
            DeadLetterReason reason = verdict.retryable() ? DeadLetterReason.ATTEMPTS_EXHAUSTED : DeadLetterReason.REJECTED;
            log.warn("Alert {} ({}) not delivered to {} after {} attempt(s): {} {}; writing it to the dead-letter topic",
                    job.alert.dedupKey(), job.alert.status().name().toLowerCase(java.util.Locale.ROOT), target.name(), attempt,
                    verdict.outcome().name().toLowerCase(java.util.Locale.ROOT), describe(verdict));
            deadLetter(job, reason, 1);
        } else {
            Duration wait = backoff.delay(attempt);
            if (verdict.retryAfter() != null) {
                Duration asked = verdict.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : verdict.retryAfter();
                wait = asked.compareTo(wait) > 0 ? asked : wait;
            }
            job.notBefore = System.nanoTime() + wait.toNanos();
            metrics.retry();
            log.info("Alert {} to {}: attempt {} of {} failed ({} {}), next in {} ms", job.alert.dedupKey(),
                    target.name(), attempt, maxAttempts, verdict.outcome().name().toLowerCase(java.util.Locale.ROOT), describe(verdict),
                    wait.toMillis());
        }
        pump();
    }

    private void deadLetter(Job job, DeadLetterReason reason, int tries) {
        AlertDeadLetter letter = AlertDeadLetter.undelivered(UUID.randomUUID().toString(), clock.instant(), source,
                job.alert, reason, target.name(), target.kind().configName(), job.attempts);
        deadLetters.publish(letter).whenCompleteAsync((ok, failure) -> {
            if (failure == null) {
                metrics.deadLettered(reason);
                finish(job, DeliveryMetrics.Result.DEAD_LETTERED);
                return;
            }
            // The offset must not be committed until the letter is stored: keep trying, the queue goes on.
            Duration wait = backoff.delay(tries);
            log.warn("Dead letter for alert {} to {} not stored ({}); trying again in {} ms", job.alert.dedupKey(),
                    target.name(), failure.getMessage(), wait.toMillis());
            executor.schedule(() -> deadLetter(job, reason, tries + 1), wait.toMillis(), TimeUnit.MILLISECONDS);
        }, executor);
    }

    private void finish(Job job, DeliveryMetrics.Result result) {
        pending.decrementAndGet();
        metrics.finished(result, System.nanoTime() - job.handedOver);
        try {
            job.done.accept(result);
        } catch (RuntimeException e) {
            log.error("Completion of alert {} at {} failed", job.alert.dedupKey(), target.name(), e);
        }
    }

    private String describe(Verdict verdict) {
        String status = verdict.statusCode() == null ? "" : "HTTP " + verdict.statusCode();
        String message = target.redact(verdict.message());
        return message == null ? status : (status.isEmpty() ? message : status + " " + message);
    }

    /**
     * Stops sending; what is queued or in flight stays unfinished (its offset uncommitted). Waits up to
     * {@code limit} for the thread to end.
     */
    public void close(Duration limit) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
