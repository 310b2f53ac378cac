package io.tlswatch.devkafka;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Ports and directories on this machine for the embedded broker and cluster. */
final class LocalBroker {

    private static final Logger log = LoggerFactory.getLogger(LocalBroker.class);

    private LocalBroker() {
    }

    /** Fails before anything starts, with a plain message, rather than deep inside Kafka's socket server. */
    static int requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
            return port;
        } catch (IOException e) {
            throw new IllegalStateException("localhost:" + port + " is not available (" + e.getMessage()
                    + "); is another broker running? Choose another port.", e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("localhost", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on localhost", e);
        }
    }

    static Path createTempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    /** Deletes {@code dir} and everything in it; what cannot be deleted is logged and left. */
    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    log.warn("could not delete {}: {}", p, e.toString());
                }
            });
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
