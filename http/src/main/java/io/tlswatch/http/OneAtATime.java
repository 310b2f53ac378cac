package io.tlswatch.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A connection's HTTP/1.1 requests answered one at a time and in order, where an answer is made off the event
 * loop: pipelined requests wait (reading pauses) until the one before is answered, and those behind an answer
 * that closes the connection are dropped, never answered. Used by one handler per connection, on its event loop
 * only.
 */
public final class OneAtATime {

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private final BiConsumer<ChannelHandlerContext, FullHttpRequest> take;
    private boolean busy;
    private boolean closing;

    /**
     * @param take answers a request, or hands it off and calls {@link #offloaded}; it releases the request
     */
    public OneAtATime(BiConsumer<ChannelHandlerContext, FullHttpRequest> take) {
        this.take = Objects.requireNonNull(take, "take");
    }

    /** A request arrived: taken now, queued behind the one being answered, or dropped after a closing answer. */
    public void arrived(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closing) {
            request.release();
        } else if (busy) {
            waiting.add(request);
        } else {
            take.accept(ctx, request);
        }
    }

    /** The request being taken is answered off the event loop: reading pauses until {@link #done}. */
    public void offloaded(ChannelHandlerContext ctx) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
    }

    /** The answer being written closes the connection: what waits, or comes, is never answered. */
    public void closeAfterAnswer() {
        closing = true;
    }

    /** The offloaded request was answered: takes up the requests that waited, then reads on. */
    public void done(ChannelHandlerContext ctx) {
        busy = false;
        FullHttpRequest next;
        while (!busy && !closing && (next = waiting.poll()) != null) {
            take.accept(ctx, next);
        }
        if (closing) {
            release();
        } else if (!busy) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Releases what waits: the connection is gone or its handler removed. */
    public void release() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            request.release();
        }
    }
}
