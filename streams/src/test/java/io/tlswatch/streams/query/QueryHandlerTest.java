package io.tlswatch.streams.query;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class QueryHandlerTest {

    private final StubQueries queries = new StubQueries();
    private final List<String> passedOn = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new QueryHandler(new QueryRouter(queries, 100, new SimpleMeterRegistry())),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        passedOn.add(((FullHttpRequest) msg).uri());
                        ReferenceCountUtil.release(msg);
                    }
                });
    }

    private static FullHttpRequest get(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    @Test
    void answersAQueryWithJson() {
        EmbeddedChannel channel = channel();

        channel.writeInbound(get("/v1/clients?posture=stuck"));

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
            assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("clients STUCK 100 false");
        } finally {
            response.release();
        }
        assertThat(passedOn).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void answersABadQueryWith400NamingTheField() {
        EmbeddedChannel channel = channel();

        channel.writeInbound(get("/v1/clients?limit=-3"));

        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"field\":\"limit\"");
        } finally {
            response.release();
        }
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void handsEverythingElseToTheAdminEndpoints() {
        EmbeddedChannel channel = channel();

        channel.writeInbound(get("/metrics"));

        assertThat(passedOn).containsExactly("/metrics");
        assertThat((Object) channel.readOutbound()).isNull();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void closesAfterAnsweringARequestThatAskedToClose() {
        EmbeddedChannel channel = channel();
        FullHttpRequest request = get("/v1/fingerprints");
        request.headers().set(HttpHeaderNames.CONNECTION, "close");

        channel.writeInbound(request);

        FullHttpResponse response = channel.readOutbound();
        response.release();
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }
}
