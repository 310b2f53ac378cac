package io.tlswatch.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

import java.time.Duration;
import java.util.List;

/**
 * The plain-HTTP admin port of a service: metrics and health, apart from the service's own traffic so that
 * monitoring keeps working when the service port is saturated or misbehaving.
 */
public final class AdminServer implements AutoCloseable {

    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final HttpListener listener;

    private AdminServer(HttpListener listener) {
        this.listener = listener;
    }

    /** Binds {@code host:port} (port 0 picks a free one) and serves until closed. */
    public static AdminServer start(String host, int port, PrometheusMeterRegistry registry,
                                    List<HealthCheck> readiness) {
        AdminHandler handler = new AdminHandler(registry, readiness);
        return new AdminServer(HttpListener.bind("admin port", "Admin endpoints (metrics, health)", host, port,
                new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        PlainHttp.addCodec(ch.pipeline(), MAX_REQUEST_BYTES).addLast(handler);
                    }
                }));
    }

    public int port() {
        return listener.port();
    }

    public void close(Duration limit) {
        listener.close(limit);
    }

    @Override
    public void close() {
        listener.close();
    }
}
