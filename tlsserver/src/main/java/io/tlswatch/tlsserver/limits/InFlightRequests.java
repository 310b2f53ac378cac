package io.tlswatch.tlsserver.limits;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests that have arrived and not yet been answered, so that a graceful shutdown can wait for
 * them. Shared by every connection of a listener; the counter is thread-safe.
 */
@ChannelHandler.Sharable
public final class InFlightRequests extends ChannelDuplexHandler {

    /** This connection's requests awaiting their response, so that a response to no request (408) is not counted. */
    private static final AttributeKey<Integer> PENDING = AttributeKey.valueOf(InFlightRequests.class, "pending");

    private final AtomicInteger inFlight = new AtomicInteger();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inFlight.incrementAndGet();
            Attribute<Integer> pending = ctx.channel().attr(PENDING);
            pending.set(pending.get() == null ? 1 : pending.get() + 1);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        Attribute<Integer> pending = ctx.channel().attr(PENDING);
        if (msg instanceof LastHttpContent && pending.get() != null && pending.get() > 0) {
            pending.set(pending.get() - 1);
            // Counted down once the response is on its way, whether or not writing it succeeds.
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (inFlight.decrementAndGet() == 0) {
                    synchronized (inFlight) {
                        inFlight.notifyAll();
                    }
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    public int count() {
        return inFlight.get();
    }

    /** Waits until no request is in flight or {@code limit} has passed; returns how many are still in flight. */
    public int awaitIdle(java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (inFlight) {
            long left;
            while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                inFlight.wait(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return inFlight.get();
    }
}
