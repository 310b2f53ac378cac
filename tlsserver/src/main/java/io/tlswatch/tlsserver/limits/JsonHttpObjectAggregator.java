package io.tlswatch.tlsserver.limits;

import io.tlswatch.http.JsonResponses;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Netty's aggregator, answering an oversized request body like every other refusal of ours: 413 with a JSON
 * body that says what the limit is, and counted.
 */
public final class JsonHttpObjectAggregator extends HttpObjectAggregator {

    private final int maxContentLength;
    private final Runnable onOversized;

    /** @param onOversized counts the refusal, e.g. {@code () -> metrics.rejected("body_too_large")} */
    public JsonHttpObjectAggregator(int maxContentLength, Runnable onOversized) {
        super(maxContentLength);
        this.maxContentLength = maxContentLength;
        this.onOversized = onOversized;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        onOversized.run();
        FullHttpResponse response = JsonResponses.error(ctx.alloc(), HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "body_too_large", "the request body is larger than " + maxContentLength + " bytes", null);
        // As Netty does: a keep-alive client still sending its body keeps the connection (the aggregator skips the
        // rest of the body), because closing under it would reset the connection before it reads the answer.
        boolean close = oversized instanceof FullHttpMessage || !ctx.channel().config().isAutoRead()
                || !HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized);
        HttpUtil.setKeepAlive(response, !close);
        var written = ctx.writeAndFlush(response);
        if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
