package io.tlswatch.streams.query;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.tlswatch.http.AdminHandler;
import io.tlswatch.http.HealthCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The streams job's one HTTP port: the query API ({@code /v1/...}) and the admin endpoints every service has
 * ({@code /metrics}, {@code /health/live}, {@code /health/ready}). Binds before the job starts, because the
 * job announces the bound port to its peers.
 */
public final class QueryServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueryServer.class);

    private final EventLoopGroup group;
    private final Channel channel;

    private QueryServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /** Binds {@code host:port} (0 picks a free port); the router is attached once the job exists. */
    public static QueryServer start(String host, int port, QueryHandlerSlot slot, PrometheusMeterRegistry registry,
                                    List<HealthCheck> readiness) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new QueryServerInitializer(slot, new AdminHandler(registry, readiness)))
                    .bind(host, port).syncUninterruptibly().channel();
            log.info("Query API and admin endpoints on http://{}:{}/", host,
                    ((InetSocketAddress) channel.localAddress()).getPort());
            return new QueryServer(group, channel);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("query port " + host + ":" + port + " cannot be bound: " + e.getMessage(),
                    e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public void close(Duration limit) {
        channel.close().awaitUninterruptibly(limit.toMillis());
        group.shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(limit.toMillis());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
