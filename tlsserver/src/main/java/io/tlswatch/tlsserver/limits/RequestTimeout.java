package io.tlswatch.tlsserver.limits;

import io.micrometer.core.instrument.Counter;
import io.tlswatch.http.JsonResponses;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
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
 * starts the clock when a request begins; {@link #completeRequests()} sits between the codec and the aggregator,
 * stops it when the whole request has arrived, and notes when the response has gone out.
 */
public final class RequestTimeout {

    private final Duration timeout;
    private final Counter timeouts;
    private boolean receiving;
    private boolean awaitingResponse;
    private boolean answeredEarly;
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
                    if (awaitingResponse) {
                        bytesWhileResponding = true;
                    } else if (!receiving) {
                        start(ctx);
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

    /**
     * Between the HTTP codec and the aggregator: sees the end of each request, and the end of each response,
     * including one the aggregator sends itself (413) before the request has fully arrived.
     */
    public ChannelHandler completeRequests() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof LastHttpContent) {
                    stop();
                    receiving = false;
                    if (answeredEarly) {
                        answeredEarly = false;
                    } else {
                        awaitingResponse = true;
                    }
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof LastHttpContent) {
                    if (awaitingResponse) {
                        awaitingResponse = false;
                        if (bytesWhileResponding) {
                            bytesWhileResponding = false;
                            // The next request (pipelined) began while this one was answered: its clock runs now.
                            start(ctx);
                        }
                    } else if (receiving) {
                        answeredEarly = true;
                    }
                }
                ctx.write(msg, promise);
            }
        };
    }

    private void start(ChannelHandlerContext ctx) {
        stop();
        receiving = true;
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
