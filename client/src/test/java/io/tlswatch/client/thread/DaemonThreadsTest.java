package io.tlswatch.client.thread;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonThreadsTest {

    @Test
    void makesNamedDaemonThreads() {
        Thread thread = new DaemonThreads("tlswatch-test").newThread(() -> { });

        assertThat(thread.getName()).isEqualTo("tlswatch-test");
        assertThat(thread.isDaemon()).isTrue();
    }

    @Test
    void joinReturnsOnlyOnceTheExecutorsWorkerHasEnded() throws Exception {
        // given a pool whose worker has run a task
        DaemonThreads threads = new DaemonThreads("tlswatch-test");
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
        AtomicReference<Thread> worker = new AtomicReference<>();
        executor.submit(() -> worker.set(Thread.currentThread())).get();

        // when it is shut down and joined
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        boolean ended = threads.join(Duration.ofSeconds(5));

        // then the worker thread itself is gone, not only the pool
        assertThat(ended).isTrue();
        assertThat(worker.get().isAlive()).isFalse();
    }

    @Test
    void joinGivesUpAfterItsTimeoutWhileAThreadStillRuns() throws Exception {
        // given a thread that waits for a latch
        DaemonThreads threads = new DaemonThreads("tlswatch-test");
        CountDownLatch release = new CountDownLatch(1);
        Thread thread = threads.newThread(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        thread.start();

        // when joined for a short while, then once it is released
        boolean endedEarly = threads.join(Duration.ofMillis(50));
        release.countDown();
        boolean endedLater = threads.join(Duration.ofSeconds(5));

        // then
        assertThat(endedEarly).isFalse();
        assertThat(endedLater).isTrue();
        assertThat(thread.isAlive()).isFalse();
    }
}
