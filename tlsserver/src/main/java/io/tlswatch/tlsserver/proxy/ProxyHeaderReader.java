package io.tlswatch.tlsserver.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;

import java.net.InetSocketAddress;

/**
 * Behind Netty's {@link io.netty.handler.codec.haproxy.HAProxyMessageDecoder}: turns the decoded header into the
 * connection's client ({@link ProxiedPeer}, which events, limits and the API read), counts it under that
 * client's address, and steps out. A header the decoder refuses, or a connection that ends inside one, is
 * counted as malformed.
 */
public final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {

    private final ProxyPolicy policy;
    private final ProxyMeters meters;
    private final ConnectionLimiter limiter;
    private boolean done;

    public ProxyHeaderReader(ProxyPolicy policy, ProxyMeters meters, ConnectionLimiter limiter) {
        this.policy = policy;
        this.meters = meters;
        this.limiter = limiter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done || !(msg instanceof HAProxyMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        done = true;
        ProxyHeader header;
        try {
            header = ProxyHeader.of(message);
        } finally {
            message.release();
        }
        InetSocketAddress proxy = (InetSocketAddress) ctx.channel().remoteAddress();
        ProxyPolicy.Resolution resolution = policy.resolve(proxy, header);
        if (resolution.outcome().refused()) {
            ProxyHeaderGate.refuse(ctx, meters, resolution.outcome(), proxy);
            return;
        }
        meters.count(resolution.outcome());
        ctx.channel().attr(ConnectionLimiter.REFUSED).set(null);
        if (resolution.peer() != null) {
            ctx.channel().attr(ProxiedPeer.KEY).set(resolution.peer());
        }
        if (!limiter.admit(ctx.channel(), resolution.peer() != null ? resolution.peer().client() : proxy.getAddress())) {
            ctx.close();
            return;
        }
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done && cause instanceof HAProxyProtocolException) {
            done = true;
            // The decoder has closed the connection already.
            ProxyHeaderGate.refuse(ctx, meters, ProxyOutcome.MALFORMED, (InetSocketAddress) ctx.channel().remoteAddress());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!done) {
            done = true;
            meters.count(ProxyOutcome.MALFORMED);
        }
        ctx.fireChannelInactive();
    }
}
