package io.tlswatch.client;

import io.tlswatch.client.log.SdkLog;
import io.tlswatch.client.thread.DaemonThreads;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Sends this machine's heartbeats on a daemon thread ({@value LicenseClient#HEARTBEAT_THREAD}) while the
 * server's last valid answer says they are required: at about half the interval (jittered, so that machines
 * started together do not beat together), well before the server's {@code dueAt}; after a failure to reach the
 * server, again with a backoff from 1 s. Each answer re-arms or stops it through {@link #follow(Machine)}. The
 * thread exists only while heartbeats are due.
 */
final class Heartbeats implements MachineListener {

    /** Sends one heartbeat and applies its answer; false when no answer came (to be retried). */
    interface Beat {
        boolean beat();
    }

    private static final SdkLog LOG = SdkLog.of(LicenseClient.class);
    /** An idle thread ends after this: a client whose policy wants no heartbeats keeps none. */
    private static final long IDLE_SECONDS = 5;

    private final Beat beat;
    private final Clock clock;
    private final DoubleSupplier jitter;
    private final Duration maxRetryInterval;
    private final DaemonThreads threads = new DaemonThreads(LicenseClient.HEARTBEAT_THREAD);
    private final ScheduledThreadPoolExecutor executor;
    private final Object schedule = new Object();
    private ScheduledFuture<?> next;
    private long generation;
    private boolean armed;
    private Duration retry = LicenseCheck.FIRST_RETRY;
    private volatile boolean closed;

    /** @param jitter uniform in [0, 1): where in 40 % to 60 % of the interval each heartbeat goes */
    Heartbeats(Beat beat, Clock clock, DoubleSupplier jitter, Duration maxRetryInterval) {
        this.beat = beat;
        this.clock = clock;
        this.jitter = jitter;
        this.maxRetryInterval = maxRetryInterval;
        this.executor = new ScheduledThreadPoolExecutor(1, threads);
        executor.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    Heartbeats(Beat beat, Clock clock, Duration maxRetryInterval) {
        this(beat, clock, () -> ThreadLocalRandom.current().nextDouble(), maxRetryInterval);
    }

    @Override
    public void follow(Machine machine) {
        synchronized (schedule) {
            generation++;
            cancel();
            if (machine == null || !machine.active() || !machine.heartbeatRequired()) {
                if (armed) {
                    LOG.info("heartbeats stopped");
                }
                armed = false;
                return;
            }
            Duration delay = delay(machine, clock.instant(), jitter.getAsDouble());
            if (delay == null) {
                LOG.warning("heartbeats are required but the server named neither an interval nor a due time: {0}",
                        machine);
                armed = false;
                return;
            }
            armed = true;
            retry = LicenseCheck.FIRST_RETRY;
            schedule(delay, generation);
        }
    }

    /** Whether a heartbeat is scheduled (or running). */
    boolean armed() {
        synchronized (schedule) {
            return armed;
        }
    }

    /** Stops heartbeats (this client gave its machine up); a later answer may arm them again. */
    void stop() {
        follow(null);
    }

    /**
     * When the next heartbeat goes: {@code jitter} places it between 40 % and 60 % of the interval, and it goes no
     * later than half the time left until {@code dueAt} (at once when that has passed).
     *
     * @return {@code null} when the machine names neither an interval nor a due time
     */
    static Duration delay(Machine machine, Instant now, double jitter) {
        Duration delay = null;
        if (machine.heartbeatInterval().isPresent()) {
            long interval = machine.heartbeatInterval().get().toMillis();
            delay = Duration.ofMillis((long) (interval * (0.4 + 0.2 * jitter)));
        }
        if (machine.heartbeatDueAt().isPresent()) {
            Duration untilDue = Duration.between(now, machine.heartbeatDueAt().get());
            Duration half = untilDue.isNegative() ? Duration.ZERO : untilDue.dividedBy(2);
            delay = delay == null || half.compareTo(delay) < 0 ? half : delay;
        }
        return delay;
    }

    /**
     * Stops the thread and waits up to {@code bound} for a heartbeat in flight.
     *
     * @return whether the thread has ended
     */
    boolean close(Duration bound) {
        synchronized (schedule) {
            closed = true;
            armed = false;
            cancel();
        }
        executor.shutdownNow();
        try {
            return executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)
                    && threads.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run(long scheduled) {
        boolean answered = beat.beat();
        synchronized (schedule) {
            if (answered) {
                // The answer re-armed or stopped the heartbeats itself (follow).
                return;
            }
            if (generation != scheduled || !armed) {
                return;
            }
            Duration wait = retry;
            retry = retry.multipliedBy(2).compareTo(maxRetryInterval) > 0 ? maxRetryInterval : retry.multipliedBy(2);
            schedule(wait, scheduled);
        }
    }

    private void schedule(Duration delay, long scheduled) {
        if (closed) {
            return;
        }
        try {
            next = executor.schedule(() -> run(scheduled), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            // closed concurrently
        }
    }

    private void cancel() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }
}
