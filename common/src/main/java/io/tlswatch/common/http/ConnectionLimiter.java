package io.tlswatch.common.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First in every connection's pipeline: closes a connection at once when the listener already holds its
 * maximum of connections in total, or from that remote address, so that one client cannot exhaust the
 * server. Shared by all connections of a listener; its counters are thread-safe.
 *
 * <p>Meters: {@code tlswatch.connections.active} (gauge) and {@code tlswatch.connections.refused} (tag
 * {@code limit}: {@code total} or {@code per_address}), both tagged with the {@code listener}.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    /** Set on a connection this limiter closed, so that handlers behind it do not report a client hang-up. */
    public static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ConnectionLimiter.class, "refused");

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Counter refusedTotal;
    private final Counter refusedPerAddress;

    public ConnectionLimiter(int maxTotal, int maxPerAddress, String listener, MeterRegistry registry) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        Gauge.builder("tlswatch.connections.active", total, AtomicInteger::get)
                .description("Open connections").tag("listener", listener).register(registry);
        this.refusedTotal = Counter.builder("tlswatch.connections.refused").tag("listener", listener)
                .tag("limit", "total").description("Connections closed at once because a limit was reached")
                .register(registry);
        this.refusedPerAddress = Counter.builder("tlswatch.connections.refused").tag("listener", listener)
                .tag("limit", "per_address").description("Connections closed at once because a limit was reached")
                .register(registry);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = address(ctx);
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refusedTotal.increment();
            ctx.channel().attr(REFUSED).set(true);
            ctx.close();
            return;
        }
        if (address != null) {
            if (perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
                release(address);
                total.decrementAndGet();
                refusedPerAddress.increment();
                ctx.channel().attr(REFUSED).set(true);
                ctx.close();
                return;
            }
        }
        ctx.channel().closeFuture().addListener(f -> {
            total.decrementAndGet();
            if (address != null) {
                release(address);
            }
        });
        super.channelActive(ctx);
    }

    private void release(InetAddress address) {
        // Atomic per address; the entry goes when it reaches zero, so addresses seen once do not pile up.
        perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
    }

    /** Open connections now (for tests and the admin view). */
    public int active() {
        return total.get();
    }

    private static InetAddress address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
