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
}
