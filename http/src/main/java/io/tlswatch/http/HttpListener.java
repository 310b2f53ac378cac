package io.tlswatch.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A plain-HTTP port on its own single event loop: the admin port of every service and the streams job's query
 * port. Kept apart from a service's own traffic so that monitoring keeps answering when that traffic saturates.
 */
public final class HttpListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpListener.class);

    private final EventLoopGroup group;
    private final Channel channel;

    private HttpListener(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and serves until closed.
     *
     * @param purpose what the port is, for the log and for the error when it cannot be bound ("admin port")
     * @param serves  what the log line says is served there
     * @throws IllegalStateException when the port cannot be bound; nothing is left running then
     */
    public static HttpListener bind(String purpose, String serves, String host, int port, ChannelHandler initializer) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(initializer)
                    .bind(host, port).syncUninterruptibly().channel();
            log.info("{} on http://{}:{}/", serves, host, ((InetSocketAddress) channel.localAddress()).getPort());
            return new HttpListener(group, channel);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException(purpose + " " + host + ":" + port + " cannot be bound: " + e.getMessage(),
                    e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting and closes the event loop, each within {@code limit}. */
    public void close(Duration limit) {
        channel.close().awaitUninterruptibly(limit.toMillis());
        group.shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS).awaitUninterruptibly(limit.toMillis());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
