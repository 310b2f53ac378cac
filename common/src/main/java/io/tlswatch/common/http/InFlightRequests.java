package io.tlswatch.common.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests that have arrived and not yet been answered, so that a graceful shutdown can wait for
 * them. Shared by every connection of a listener; the counter is thread-safe.
 */
@ChannelHandler.Sharable
public final class InFlightRequests extends ChannelDuplexHandler {

    private final AtomicInteger inFlight = new AtomicInteger();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            inFlight.incrementAndGet();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            // Counted down once the response is on its way, whether or not writing it succeeds.
            promise = promise.unvoid();
            promise.addListener(f -> inFlight.decrementAndGet());
        }
        super.write(ctx, msg, promise);
    }

    public int count() {
        return inFlight.get();
    }
}
