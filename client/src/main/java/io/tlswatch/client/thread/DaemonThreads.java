package io.tlswatch.client.thread;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Makes an SDK executor's daemon threads and waits for them to have ended. An executor's
 * {@code awaitTermination} returns while its last worker is still unwinding, so a caller promised that
 * {@code close()} leaves no thread behind must also join the threads themselves.
 */
public final class DaemonThreads implements ThreadFactory {

    private final String name;
    private final Set<Thread> started = ConcurrentHashMap.newKeySet();

    public DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable runnable) {
        // A pool replaces a worker only after the old one has left its loop; forget the dead ones here.
        started.removeIf(thread -> thread.getState() == Thread.State.TERMINATED);
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        started.add(thread);
        return thread;
    }

    /**
     * Waits until every thread made here has ended, or {@code timeout} has passed.
     *
     * @return whether all have ended
     */
    public boolean join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : started) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
        }
        started.removeIf(thread -> !thread.isAlive());
        return started.isEmpty();
    }
}
