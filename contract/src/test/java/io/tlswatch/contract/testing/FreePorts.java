package io.tlswatch.contract.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * A loopback port nobody listens on right now, for a server a test must start on a known port (a child JVM, a
 * restarted broker, a binary such as Alertmanager). Where the server can bind port 0 itself and report it,
 * prefer that: between this call and the bind, another process may take the port.
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static int next() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** The first of {@code count} consecutive ports free now, for a cluster on a base port and the ports after it. */
    public static int consecutive(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = next();
            boolean free = base + count - 1 <= 65_535;
            for (int port = base; free && port < base + count; port++) {
                free = isFree(port);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free loopback ports found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("localhost", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
