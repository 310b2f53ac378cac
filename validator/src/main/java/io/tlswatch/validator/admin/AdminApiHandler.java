package io.tlswatch.validator.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.tlswatch.http.JsonResponses;
import io.tlswatch.http.OneAtATime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The admin API over HTTP, one per connection: copies each request into an {@link AdminRequest}, lets
 * {@link AdminApi} answer it on {@code work} (a write waits for Kafka, which must not hold an event loop), and
 * writes the answer back on the loop. While a request is out the connection reads nothing more, and pipelined
 * requests wait here, so that they are answered in order.
 */
public final class AdminApiHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AdminApiHandler.class);

    private final AdminApi api;
    private final AdminMetrics metrics;
    private final Executor work;
    private final OneAtATime requests = new OneAtATime(this::take);

    public AdminApiHandler(AdminApi api, AdminMetrics metrics, Executor work) {
        this.api = api;
        this.metrics = metrics;
        this.work = work;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        requests.arrived(ctx, request);
    }

    private void take(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            if (!request.decoderResult().isSuccess()) {
                boolean tooLong = request.decoderResult().cause() instanceof TooLongFrameException;
                String code = tooLong ? "head_too_large" : "malformed_http";
                metrics.error(code);
                respond(ctx, AdminResponse.error(tooLong ? 431 : 400, code, tooLong
                        ? "the request line or headers are too large" : "the request is not valid HTTP/1.1",
                        null), false);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            AdminRequest copy = new AdminRequest(request.method().name(), uri.path(), uri.parameters(),
                    request.headers().get(HttpHeaderNames.AUTHORIZATION),
                    request.headers().get(HttpHeaderNames.CONTENT_TYPE), ByteBufUtil.getBytes(request.content()));
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            requests.offloaded(ctx);
            try {
                work.execute(() -> {
                    AdminResponse response = api.handle(copy);
                    if (ctx.executor().inEventLoop()) {
                        answered(ctx, response, keepAlive);
                    } else {
                        ctx.executor().execute(() -> answered(ctx, response, keepAlive));
                    }
                });
            } catch (RejectedExecutionException e) {
                metrics.error("shutting_down");
                answered(ctx, AdminResponse.error(503, "shutting_down", "the validator is shutting down; retry",
                        null), false);
            }
        } finally {
            request.release();
        }
    }

    private void answered(ChannelHandlerContext ctx, AdminResponse response, boolean keepAlive) {
        respond(ctx, response, keepAlive && response.status() < 500);
        requests.done(ctx);
    }

    private void respond(ChannelHandlerContext ctx, AdminResponse answer, boolean keepAlive) {
        FullHttpResponse response = JsonResponses.json(ctx.alloc(), HttpResponseStatus.valueOf(answer.status()),
                answer.body());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        if (!keepAlive) {
            requests.closeAfterAnswer();
        }
        JsonResponses.write(ctx, response, keepAlive);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        requests.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        requests.release();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Admin connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
