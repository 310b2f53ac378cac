package io.tlswatch.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class OneAtATimeTest {

    /** Takes each request by offloading it: the test plays the worker by calling {@link #finish}. */
    private static final class Offloading extends ChannelInboundHandlerAdapter {
        final List<String> taken = new ArrayList<>();
        final OneAtATime requests = new OneAtATime(this::take);
        ChannelHandlerContext ctx;

        private void take(ChannelHandlerContext ctx, FullHttpRequest request) {
            taken.add(request.uri());
            request.release();
            requests.offloaded(ctx);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            requests.arrived(ctx, (FullHttpRequest) msg);
        }

        void finish(boolean closing) {
            if (closing) {
                requests.closeAfterAnswer();
            }
            requests.done(ctx);
        }
    }

    private static FullHttpRequest request(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
    }

    @Test
    void pipelinedRequestsWaitForTheAnswerBeforeThemAndAreTakenInOrder() {
        // given a handler answering off the event loop
        Offloading handler = new Offloading();
        EmbeddedChannel channel = new EmbeddedChannel(handler);

        // when three requests arrive before the first is answered
        channel.writeInbound(request("/1"), request("/2"), request("/3"));

        // then only the first is taken, and reading pauses
        assertThat(handler.taken).containsExactly("/1");
        assertThat(channel.config().isAutoRead()).isFalse();

        // and each answer takes up the next one, in order, and reading resumes after the last
        handler.finish(false);
        assertThat(handler.taken).containsExactly("/1", "/2");
        handler.finish(false);
        handler.finish(false);
        assertThat(handler.taken).containsExactly("/1", "/2", "/3");
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void requestsBehindAClosingAnswerAreReleasedAndNeverTaken() {
        // given a request being answered and two waiting behind it
        Offloading handler = new Offloading();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        FullHttpRequest second = request("/2");
        FullHttpRequest third = request("/3");
        channel.writeInbound(request("/1"), second, third);

        // when its answer closes the connection
        handler.finish(true);

        // then the waiting ones are released untaken, and one arriving later too
        assertThat(handler.taken).containsExactly("/1");
        assertThat(second.refCnt()).isZero();
        assertThat(third.refCnt()).isZero();
        FullHttpRequest late = request("/4");
        channel.writeInbound(late);
        assertThat(late.refCnt()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void releaseFreesWhatWaitsWhenTheConnectionGoes() {
        Offloading handler = new Offloading();
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        FullHttpRequest waiting = request("/2");
        channel.writeInbound(request("/1"), waiting);

        handler.requests.release();

        assertThat(waiting.refCnt()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }
}
