package io.tlswatch.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class JsonResponsesTest {

    /** Answers every inbound message with one JSON response, keeping the connection as told. */
    private static EmbeddedChannel answering(boolean keepAlive) {
        return new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                JsonResponses.write(ctx, JsonResponses.json(ctx.alloc(), HttpResponseStatus.OK, Map.of("ok", true)),
                        keepAlive);
            }
        });
    }

    @Test
    void keepAliveResponseLeavesTheConnectionOpen() {
        EmbeddedChannel channel = answering(true);

        channel.writeInbound("request");
        FullHttpResponse response = channel.readOutbound();

        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isNotEqualToIgnoringCase("close");
        assertThat(channel.isOpen()).isTrue();
        response.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void responseWithoutKeepAliveSaysCloseAndClosesTheChannelOnceWritten() {
        EmbeddedChannel channel = answering(false);

        channel.writeInbound("request");
        FullHttpResponse response = channel.readOutbound();

        assertThat(response.headers().get(HttpHeaderNames.CONNECTION))
                .isEqualToIgnoringCase(HttpHeaderValues.CLOSE.toString());
        assertThat(channel.isOpen()).isFalse();
        response.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void errorNamesTheFieldInTheJsonBody() {
        FullHttpResponse response = JsonResponses.error(ByteBufAllocator.DEFAULT, HttpResponseStatus.BAD_REQUEST,
                "invalid", "licenseId is missing", "/licenseId");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(response.content().toString(StandardCharsets.UTF_8))
                .contains("\"code\":\"invalid\"", "\"field\":\"/licenseId\"", "\"message\":\"licenseId is missing\"");
        response.release();
    }
}
