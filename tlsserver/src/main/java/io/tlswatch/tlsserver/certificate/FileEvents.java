package io.tlswatch.tlsserver.certificate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Calls back when anything changes in the directories holding the watched files (the configured ones and, for
 * symbolic links, those they lead to), so that a change is seen before the next poll. Events are only a hint:
 * what changed is decided by comparing snapshots, and polling still runs in case events are lost (network file
 * systems deliver none). Public so that other watched files (the validator's token key file) are watched the same
 * way as certificates.
 */
public final class FileEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileEvents.class);
    /**
     * Events that follow the first within this window are taken with it: a directory that is written to all the
     * time (logs or a profiler's output beside the certificates) must not have the files compared thousands of
     * times a second. A rotation is still seen within this window plus one comparison.
     */
    static final Duration COALESCE = Duration.ofMillis(250);

    private final WatchService service;
    private final Thread thread;

    private FileEvents(WatchService service, Runnable onChange, String name) {
        this.service = service;
        this.thread = new Thread(() -> run(onChange), "certificate-files-" + name);
        this.thread.setDaemon(true);
    }

    /** Starts watching; when the platform cannot watch, logs why and returns a watcher that never calls back. */
    public static FileEvents start(List<Path> files, Runnable onChange, String name) {
        Set<Path> directories = new LinkedHashSet<>();
        for (Path file : files) {
            Path absolute = file.toAbsolutePath();
            if (absolute.getParent() != null) {
                directories.add(absolute.getParent());
            }
            try {
                Path real = absolute.toRealPath();
                if (real.getParent() != null) {
                    directories.add(real.getParent());
                }
            } catch (IOException e) {
                // A missing file is refused by the loader; its directory is watched all the same.
            }
        }
        WatchService service;
        try {
            service = FileSystems.getDefault().newWatchService();
            for (Path directory : directories) {
                directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.info("certificate {}: file events unavailable ({}), relying on polling", name, e.getMessage());
            return new FileEvents(null, onChange, name);
        }
        FileEvents events = new FileEvents(service, onChange, name);
        events.thread.start();
        return events;
    }

    private void run(Runnable onChange) {
        try {
            while (true) {
                drain(service.take());
                long deadline = System.nanoTime() + COALESCE.toNanos();
                long left;
                while ((left = deadline - System.nanoTime()) > 0) {
                    WatchKey more = service.poll(left, TimeUnit.NANOSECONDS);
                    if (more != null) {
                        drain(more);
                    }
                }
                onChange.run();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() {
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                log.debug("closing the watch service: {}", e.getMessage());
            }
        }
    }
}
