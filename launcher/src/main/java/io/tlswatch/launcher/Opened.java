package io.tlswatch.launcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a launcher command has opened, closed in reverse order: a service is stopped before what it depends on
 * (the broker last), and one that fails to close is logged and does not keep the others open.
 */
public final class Opened implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Opened.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Remembers {@code resource} for {@link #close()} and returns it. */
    public <T extends AutoCloseable> T add(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
