package io.tlswatch.tlsserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * First to read a connection's bytes when the listener reads PROXY headers: from the first bytes, hands a
 * trusted proxy's header to Netty's {@link HAProxyMessageDecoder} (put in its place, in front of the TLS
 * engine), passes a direct client's bytes on untouched in optional mode, and refuses the rest, as
 * {@link ProxyPolicy} decides. Reads at most the twelve bytes of a signature before it steps out.
 */
public final class ProxyHeaderGate extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderGate.class);

    private final ProxyPolicy policy;
    private final ProxyMeters meters;
    private final ConnectionLimiter limiter;
    private boolean decided;

    public ProxyHeaderGate(ProxyPolicy policy, ProxyMeters meters, ConnectionLimiter limiter) {
        this.policy = policy;
        this.meters = meters;
        this.limiter = limiter;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        HeaderStart start = decided ? HeaderStart.NEED_MORE : HeaderStart.of(in);
        if (start == HeaderStart.NEED_MORE) {
            return;
        }
        decided = true;
        InetSocketAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet : null;
        ProxyOutcome refusal = start == HeaderStart.HEADER
                ? policy.onHeader(peer == null ? null : peer.getAddress())
                : refusedWithoutHeader();
        if (refusal != null) {
            in.skipBytes(in.readableBytes());
            refuse(ctx, meters, refusal, peer);
            return;
        }
        if (start == HeaderStart.HEADER) {
            // Until the header is read, a failure on this connection is not a client's handshake.
            ctx.channel().attr(ConnectionLimiter.REFUSED).set(true);
            ctx.pipeline().addAfter(ctx.name(), "proxy-header", new ProxyHeaderReader(policy, meters, limiter))
                    .addAfter(ctx.name(), "proxy-decoder", new HAProxyMessageDecoder());
        } else {
            meters.count(ProxyOutcome.DIRECT);
            if (peer != null && !limiter.admit(ctx.channel(), peer.getAddress())) {
                in.skipBytes(in.readableBytes());
                ctx.close();
                return;
            }
        }
        // What was read so far goes on to the decoder, or to the TLS engine, as it came.
        ctx.pipeline().remove(this);
    }

    private ProxyOutcome refusedWithoutHeader() {
        ProxyOutcome outcome = policy.withoutHeader();
        return outcome.refused() ? outcome : null;
    }

    static void refuse(ChannelHandlerContext ctx, ProxyMeters meters, ProxyOutcome outcome, InetSocketAddress peer) {
        meters.count(outcome);
        log.debug("Refused a connection from {}: PROXY header {}", peer, outcome.tag());
        ctx.channel().attr(ConnectionLimiter.REFUSED).set(true);
        ctx.close();
    }
}
