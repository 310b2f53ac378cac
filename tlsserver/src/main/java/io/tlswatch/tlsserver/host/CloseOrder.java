package io.tlswatch.tlsserver.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one order a TLS service stops in, whether it is closed or its start failed half-way: each part is added to
 * its {@link Stage} as soon as it is open, and closing runs the stages in order (within one, newest first), so a
 * start that failed closes exactly what it had opened. Not thread-safe: the host opens, then closes once.
 */
public final class CloseOrder {

    private static final Logger log = LoggerFactory.getLogger(CloseOrder.class);

    /** In closing order: traffic stops first; what reports on the service (events, admin port) goes last. */
    enum Stage {
        /** The listening sockets: no new connection. */
        LISTENERS,
        /** Requests already read are given the grace period to be answered. */
        REQUESTS,
        /** Connections still open after that are closed. */
        CONNECTIONS,
        /** Event loops and the executors the service runs work on. */
        EXECUTORS,
        /** The service's own parts (Kafka clients, registries). */
        SERVICE,
        /** Certificate watching and OCSP refreshing. */
        CERTIFICATES,
        /** The event publisher flushes what it holds. */
        EVENTS,
        /** The admin port, last, so that metrics and health answer while the rest stops. */
        ADMIN
    }

    /** One part's close, given the time it may take. */
    @FunctionalInterface
    public interface Step {
        void close(Duration limit) throws Exception;
    }

    private record Named(String what, Step step) {
    }

    private final Map<Stage, Deque<Named>> stages = new EnumMap<>(Stage.class);

    /** Remembers {@code step} to close {@code what} in {@code stage}. */
    void add(Stage stage, String what, Step step) {
        stages.computeIfAbsent(stage, s -> new ArrayDeque<>()).push(new Named(what, step));
    }

    /** Closes everything, each step within {@code limit}; a failure to close is logged and the rest still close. */
    void close(Duration limit) {
        closeAll(limit, null);
    }

    /** Closes everything after a start that failed with {@code failure}, adding failures to close to it. */
    void closeAfter(Throwable failure, Duration limit) {
        closeAll(limit, failure);
    }

    private void closeAll(Duration limit, Throwable failure) {
        for (Stage stage : Stage.values()) {
            Deque<Named> steps = stages.getOrDefault(stage, new ArrayDeque<>());
            while (!steps.isEmpty()) {
                Named next = steps.pop();
                try {
                    next.step().close(limit);
                } catch (Exception e) {
                    if (failure != null) {
                        failure.addSuppressed(e);
                    } else {
                        log.warn("Closing {} failed: {}", next.what(), e.toString());
                    }
                }
            }
        }
    }
}
