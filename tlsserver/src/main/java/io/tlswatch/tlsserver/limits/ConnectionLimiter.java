package io.tlswatch.tlsserver.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * First in every connection's pipeline: closes a connection at once when the listener already holds its
 * maximum of connections in total, or from that remote address, so that one client cannot exhaust the
 * server. Shared by all connections of a listener; its counters are thread-safe.
 *
 * <p>Behind a load balancer every connection comes from the balancer's few addresses: a connection from a
 * trusted proxy ({@code awaitsHeader}) counts only towards the total until its PROXY header names the client, and
 * the proxy handler then {@linkplain #admit admits} it under the client's address (docs/deployment.md).
 *
 * <p>Meters: {@code tlswatch.connections.active} (gauge) and {@code tlswatch.connections.refused} (tag
 * {@code limit}: {@code total} or {@code per_address}), both tagged with the {@code listener}.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    /**
     * Set on a connection the server refused before the client's TLS or HTTP began (this limiter, or a refused
     * PROXY header), so that handlers behind it do not report a client hang-up.
     */
    public static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ConnectionLimiter.class, "refused");

    /** The address a connection is counted under, once it is. */
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf(ConnectionLimiter.class, "counted");

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Counter refusedTotal;
    private final Counter refusedPerAddress;
    private final Predicate<InetAddress> awaitsHeader;

    public ConnectionLimiter(int maxTotal, int maxPerAddress, String listener, MeterRegistry registry) {
        this(maxTotal, maxPerAddress, listener, registry, address -> false);
    }

    /**
     * @param awaitsHeader the peers whose connections are counted per address only once their PROXY header is
     *                     read: the trusted proxies, when the listener reads headers
     */
    public ConnectionLimiter(int maxTotal, int maxPerAddress, String listener, MeterRegistry registry,
                             Predicate<InetAddress> awaitsHeader) {
        if (maxTotal < 1 || maxPerAddress < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1");
        }
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.awaitsHeader = awaitsHeader;
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
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refusedTotal.increment();
            ctx.channel().attr(REFUSED).set(true);
            ctx.close();
            return;
        }
        Channel channel = ctx.channel();
        channel.closeFuture().addListener(f -> {
            total.decrementAndGet();
            InetAddress counted = channel.attr(COUNTED).getAndSet(null);
            if (counted != null) {
                release(counted);
            }
        });
        InetAddress address = address(ctx);
        if (address != null && !awaitsHeader.test(address) && !admit(channel, address)) {
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    /**
     * Counts an open connection under {@code address} (the client a PROXY header named, or the peer itself), on
     * the connection's event loop. A connection counted already stays under its address.
     *
     * @return false when that address holds its maximum already: the refusal is counted and the connection
     * marked {@link #REFUSED}, and the caller closes it
     */
    public boolean admit(Channel channel, InetAddress address) {
        if (channel.attr(COUNTED).get() != null) {
            return true;
        }
        if (channel.closeFuture().isDone()) {
            // Closed meanwhile: its slot was freed already, and counting it now would never be undone.
            return false;
        }
        if (perAddress.merge(address, 1, Integer::sum) > maxPerAddress) {
            release(address);
            refusedPerAddress.increment();
            channel.attr(REFUSED).set(true);
            return false;
        }
        channel.attr(COUNTED).set(address);
        return true;
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
