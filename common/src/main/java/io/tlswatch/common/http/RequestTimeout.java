package io.tlswatch.common.http;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client may take to send a whole request, counted from when the connection is ready or
 * the previous response went out: a slow-loris client that trickles its request head byte by byte gets
 * 408 and is closed, instead of holding a connection forever. Placed behind the aggregator, so a request
 * counts as arrived when it is complete. One per connection.
 */
public final class RequestTimeout extends ChannelDuplexHandler {

    private final Duration timeout;
    private final Counter timeouts;
    private ScheduledFuture<?> pending;

    public RequestTimeout(Duration timeout, Counter timeouts) {
        this.timeout = timeout;
        this.timeouts = timeouts;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        disarm();
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            // The response is complete: the client's next request starts its own clock.
            promise = promise.unvoid();
            promise.addListener(f -> {
                if (f.isSuccess() && ctx.channel().isActive()) {
                    arm(ctx);
                }
            });
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        pending = ctx.executor().schedule(() -> {
            timeouts.increment();
            ctx.writeAndFlush(JsonResponses.error(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT, "request_timeout",
                    "the request did not arrive within " + timeout.toMillis() + " ms", null))
                    .addListener(ChannelFutureListener.CLOSE);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
