package io.tlswatch.streams.query;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.tlswatch.http.JsonResponses;

/**
 * Answers {@code /v1/...} with the query router's decision; hands every other request on to the admin
 * endpoints. The router answers asynchronously; the response is written when it completes, never blocking
 * the event loop.
 */
@ChannelHandler.Sharable
public final class QueryHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final QueryRouter router;

    public QueryHandler(QueryRouter router) {
        super(false);
        this.router = router;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!QueryRouter.handles(request.uri())) {
            ctx.fireChannelRead(request);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod method = request.method();
        String uri = request.uri();
        request.release();
        router.route(method, uri).whenComplete((answer, failure) -> {
            FullHttpResponse response = failure != null
                    ? JsonResponses.error(ctx.alloc(), io.netty.handler.codec.http.HttpResponseStatus
                    .INTERNAL_SERVER_ERROR, "internal", "the query failed", null)
                    : answer.raw() != null
                    ? JsonResponses.bytes(ctx.alloc(), answer.status(), answer.raw(),
                    HttpHeaderValues.APPLICATION_JSON.toString())
                    : JsonResponses.json(ctx.alloc(), answer.status(), answer.body());
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        });
    }
}
