package io.tlswatch.tlsserver.testing;

import io.tlswatch.contract.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real HAProxy (Debian's {@code haproxy}, which {@code .ci/run} installs) in TCP mode in front of a listener,
 * started from a generated configuration in a temporary directory, on loopback only. Each route is a frontend on a
 * fresh port relaying to a backend with a PROXY header, from the source address given, so that the backend sees
 * the proxy at an address of its own.
 */
public final class Haproxy implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/haproxy");
    private static final Duration READY = Duration.ofSeconds(20);

    /** How the proxy tells the backend about the client. */
    public enum Header {
        /** {@code send-proxy-v2}: the binary header. */
        V2("send-proxy-v2"),
        /** {@code send-proxy}: the text header. */
        V1("send-proxy"),
        /** None: the backend sees the proxy as the client, as behind a load balancer that does not tell. */
        NONE("");

        private final String keyword;

        Header(String keyword) {
            this.keyword = keyword;
        }
    }

    /**
     * One frontend relaying to {@code backendHost} on each of {@code backendPorts} in turn (round robin, one
     * connection each), with {@code header}.
     */
    public record Route(String name, String backendHost, List<Integer> backendPorts, Header header) {

        public Route {
            backendPorts = List.copyOf(backendPorts);
            if (backendPorts.isEmpty()) {
                throw new IllegalArgumentException("a route needs a backend");
            }
        }

        /** One frontend relaying to {@code backendHost:backendPort}. */
        public Route(String name, String backendHost, int backendPort, Header header) {
            this(name, backendHost, List.of(backendPort), header);
        }
    }

    private final Process process;
    private final Path log;
    private final Map<String, Integer> ports;

    private Haproxy(Process process, Path log, Map<String, Integer> ports) {
        this.process = process;
        this.log = log;
        this.ports = ports;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts HAProxy and waits, with a bound, until it listens.
     *
     * @param sourceAddress the loopback address HAProxy connects to the backends from (its address as they see it)
     */
    public static Haproxy start(Path dir, String sourceAddress, List<Route> routes) throws IOException {
        return start(dir, sourceAddress, routes, Map.of());
    }

    /**
     * The same, with some frontends on ports chosen beforehand: where a service must be told its public address
     * before the proxy in front of it starts.
     */
    public static Haproxy start(Path dir, String sourceAddress, List<Route> routes, Map<String, Integer> fixedPorts)
            throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        int probe = FreePorts.next();
        StringBuilder config = new StringBuilder("""
                global
                    maxconn 256

                defaults
                    mode tcp
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s

                # Readiness: HAProxy binds every frontend before it accepts on any, so one answering means all do.
                frontend probe
                    bind 127.0.0.1:%d
                    tcp-request connection reject
                """.formatted(probe));
        for (Route route : routes) {
            int port = fixedPorts.containsKey(route.name()) ? fixedPorts.get(route.name()) : FreePorts.next();
            ports.put(route.name(), port);
            config.append("""

                    frontend %1$s
                        bind 127.0.0.1:%2$d
                        default_backend %1$s_backend

                    backend %1$s_backend
                        balance roundrobin
                    """.formatted(route.name(), port));
            for (int i = 0; i < route.backendPorts().size(); i++) {
                config.append("        server upstream%d %s:%d %s source %s%n".formatted(i, route.backendHost(),
                        route.backendPorts().get(i), route.header().keyword, sourceAddress));
            }
        }
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Path log = dir.resolve("haproxy.log");
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Haproxy haproxy = new Haproxy(process, log, ports);
        try {
            await().atMost(READY).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("haproxy exited with " + process.exitValue() + ": "
                            + Files.readString(log));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", probe), 1_000);
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
        } catch (RuntimeException e) {
            haproxy.close();
            throw e;
        }
        return haproxy;
    }

    /** The port of a route's frontend. */
    public int port(String route) {
        return ports.get(route);
    }

    /** What HAProxy printed, for a failing test's message. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
