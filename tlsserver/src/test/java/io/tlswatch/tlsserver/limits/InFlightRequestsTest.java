package io.tlswatch.tlsserver.limits;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InFlightRequestsTest {

    private final InFlightRequests inFlight = new InFlightRequests();
    private final EmbeddedChannel channel = new EmbeddedChannel(inFlight);

    private void receive(Object message) {
        channel.writeInbound(message);
        ReferenceCountUtil.release(channel.readInbound());
    }

    private void send(Object message) {
        channel.writeOutbound(message);
        ReferenceCountUtil.release(channel.readOutbound());
    }

    @Test
    void aRequestCountsUntilTheLastContentOfItsResponseIsWritten() {
        // given a request has arrived
        receive(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/licenses/validate"));
        receive(new DefaultLastHttpContent(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
        assertThat(inFlight.count()).isEqualTo(1);

        // when the response head and a first chunk go out
        send(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        send(new DefaultHttpContent(Unpooled.copiedBuffer("{\"valid\":", StandardCharsets.UTF_8)));

        // then it is still in flight
        assertThat(inFlight.count()).isEqualTo(1);

        // when the last content is written
        send(new DefaultLastHttpContent(Unpooled.copiedBuffer("true}", StandardCharsets.UTF_8)));

        // then it is done
        assertThat(inFlight.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aFullResponseEndsAFullRequest() {
        receive(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/.well-known/jwks.json"));
        assertThat(inFlight.count()).isEqualTo(1);

        send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));

        assertThat(inFlight.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void pipelinedRequestsCountOneEach() {
        // given two requests read before either is answered
        receive(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a"));
        receive(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/b"));
        assertThat(inFlight.count()).isEqualTo(2);

        // when they are answered one by one
        send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(inFlight.count()).isEqualTo(1);
        send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));

        // then
        assertThat(inFlight.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aResponseThatCannotBeWrittenStillEndsTheRequest() {
        // given a request, on a connection whose writes fail (the client has gone)
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                promise.setFailure(new IOException("Broken pipe"));
            }
        });
        receive(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a"));

        // when the response is written
        ChannelFuture written = channel.writeAndFlush(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));

        // then the write failed, and the request is no longer in flight: shutdown does not wait for it
        assertThat(written.isSuccess()).isFalse();
        assertThat(inFlight.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void oneCounterServesEveryConnectionOfAListener() {
        // given the same (sharable) handler on two connections
        EmbeddedChannel other = new EmbeddedChannel(inFlight);

        // when each has a request
        receive(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a"));
        other.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/b"));
        ReferenceCountUtil.release(other.readInbound());

        // then both count, and each response ends its own
        assertThat(inFlight.count()).isEqualTo(2);
        other.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ReferenceCountUtil.release(other.readOutbound());
        assertThat(inFlight.count()).isEqualTo(1);
        send(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(inFlight.count()).isZero();
        assertFalse(other.finishAndReleaseAll());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void otherMessagesAreNotCounted() {
        // given body chunks and raw bytes, none of them a request head
        receive(new DefaultHttpContent(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)));
        receive(Unpooled.copiedBuffer("raw", StandardCharsets.UTF_8));

        // then nothing is in flight
        assertThat(inFlight.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }
}
