package io.tlswatch.contract.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What has been opened, closed in reverse order: a service is stopped before what it depends on (the broker
 * last), and one that fails to close does not keep the others open. Not thread-safe: one owner opens and closes.
 */
public final class Opened implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Opened.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Remembers {@code resource} for closing and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes everything, newest first; a failure to close is logged. */
    @Override
    public void close() {
        closeAll(null);
    }

    /** Closes everything after {@code failure} (a start that went wrong), adding failures to close to it. */
    public void closeAfter(Throwable failure) {
        closeAll(failure);
    }

    private void closeAll(Throwable failure) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    log.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
                }
            }
        }
    }
}
