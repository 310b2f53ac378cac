package io.tlswatch.common.http;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client may take to send one whole request, counted from its first byte: a slow-loris
 * client that trickles a request head byte by byte gets 408 and is closed instead of holding a connection
 * forever. A connection on which nothing arrives is not this timer's business: the idle timeout closes it.
 *
 * <p>Two handlers share one timer per connection: {@link #firstBytes()} sits in front of the HTTP codec and
 * starts the clock when a request begins; {@link #completeRequests()} sits behind the aggregator and stops it
 * when the whole request has arrived, and notes when the response has gone out.
 */
public final class RequestTimeout {

    private enum State { IDLE, RECEIVING, RESPONDING }

    private final Duration timeout;
    private final Counter timeouts;
    private State state = State.IDLE;
    private boolean bytesWhileResponding;
    private ScheduledFuture<?> pending;

    public RequestTimeout(Duration timeout, Counter timeouts) {
        this.timeout = timeout;
        this.timeouts = timeouts;
    }

    /** In front of the HTTP codec (behind TLS): sees the raw bytes of requests. */
    public ChannelHandler firstBytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf buf && buf.isReadable()) {
                    if (state == State.IDLE) {
                        start(ctx);
                    } else if (state == State.RESPONDING) {
                        bytesWhileResponding = true;
                    }
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                stop();
                ctx.fireChannelInactive();
            }
        };
    }

    /** Behind the aggregator: sees complete requests, and the end of each response. */
    public ChannelHandler completeRequests() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof FullHttpRequest) {
                    stop();
                    state = State.RESPONDING;
                    bytesWhileResponding = false;
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof LastHttpContent && state == State.RESPONDING) {
                    state = State.IDLE;
                    if (bytesWhileResponding) {
                        // The next request (pipelined) began while this one was answered: its clock runs now.
                        start(ctx);
                    }
                }
                ctx.write(msg, promise);
            }
        };
    }

    private void start(ChannelHandlerContext ctx) {
        stop();
        state = State.RECEIVING;
        pending = ctx.executor().schedule(() -> {
            timeouts.increment();
            // Written from the tail so that it passes the HTTP encoder whichever handler armed the timer.
            ctx.channel().writeAndFlush(JsonResponses.error(ctx.alloc(), HttpResponseStatus.REQUEST_TIMEOUT,
                    "request_timeout", "the request did not arrive within " + timeout.toMillis() + " ms", null))
                    .addListener(ChannelFutureListener.CLOSE);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void stop() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }
}
