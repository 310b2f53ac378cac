package io.tlswatch.launcher;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps {@code tlswatch kafka} in the foreground until Ctrl-C or SIGTERM, then closes what it runs, within a limit:
 * a broker that hangs on its way down must not keep the JVM from exiting.
 */
final class UntilSignalled {

    private final AutoCloseable running;
    private final Duration stopLimit;
    private final PrintWriter out;
    private final CountDownLatch stopped = new CountDownLatch(1);

    UntilSignalled(AutoCloseable running, Duration stopLimit, PrintWriter out) {
        this.running = running;
        this.stopLimit = stopLimit;
        this.out = out;
    }

    /** Registers the shutdown hook that stops {@code running}; from then on a signal stops it. */
    UntilSignalled armed() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "tlswatch-kafka-stop"));
        return this;
    }

    /** Blocks until the shutdown hook has stopped what runs. */
    void await() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        out.println("Stopping Kafka ...");
        out.flush();
        Thread closer = new Thread(this::close, "tlswatch-kafka-close");
        closer.start();
        try {
            closer.join(stopLimit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println(closer.isAlive() ? "Kafka did not stop within " + stopLimit.toSeconds() + " s; exiting anyway."
                : "Kafka stopped.");
        out.flush();
        stopped.countDown();
    }

    private void close() {
        try {
            running.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
