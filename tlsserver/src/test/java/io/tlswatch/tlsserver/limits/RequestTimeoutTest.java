package io.tlswatch.tlsserver.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The timer in a real HTTP pipeline (codec and aggregator), on the embedded channel's clock: no sleeps. */
class RequestTimeoutTest {

    private static final long TIMEOUT_MS = 500;

    private final Counter timeouts = new SimpleMeterRegistry().counter("tlswatch.http.timeouts");
    private final List<FullHttpRequest> requests = new ArrayList<>();
    private final EmbeddedChannel channel = channel();

    private EmbeddedChannel channel() {
        RequestTimeout timer = new RequestTimeout(java.time.Duration.ofMillis(TIMEOUT_MS), timeouts);
        EmbeddedChannel ch = new EmbeddedChannel();
        // Frozen, so that only advanceTimeBy moves the clock: real time passing on a loaded machine fired the
        // timer early ("just under the timeout" was not).
        ch.freezeTime();
        ch.pipeline().addLast(timer.firstBytes(), new HttpServerCodec(), timer.completeRequests(),
                new HttpObjectAggregator(1024), new io.netty.channel.SimpleChannelInboundHandler<FullHttpRequest>() {
                    @Override
                    protected void channelRead0(io.netty.channel.ChannelHandlerContext ctx, FullHttpRequest msg) {
                        requests.add(msg.retain());
                    }
                });
        return ch;
    }

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private void elapse(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out.toString();
    }

    private void respond() {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().setInt("content-length", 0);
        channel.writeAndFlush(response);
    }

    @Test
    void aSlowRequestHeadGets408AndIsClosedAndCounted() {
        // given a request that started but never completes
        send("POST /v1/licenses/validate HTTP/1.1\r\nHost: x\r\n");

        // when just under, then at the timeout
        elapse(TIMEOUT_MS - 1);
        assertThat(channel.isOpen()).isTrue();
        elapse(1);

        // then
        assertThat(written()).startsWith("HTTP/1.1 408 Request Timeout").contains("\"code\":\"request_timeout\"");
        assertThat(channel.isOpen()).isFalse();
        assertThat(timeouts.count()).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aConnectionWithNothingSentIsLeftToTheIdleTimeout() {
        elapse(TIMEOUT_MS * 10);

        assertThat(channel.isOpen()).isTrue();
        assertThat(timeouts.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aCompleteRequestStopsTheClockAndAnIdleKeepAliveConnectionStaysOpen() {
        // given a request that arrives whole
        send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(requests).hasSize(1);

        // when it is answered and the connection then sits idle
        respond();
        written();
        elapse(TIMEOUT_MS * 10);

        // then no 408: an idle connection is not a slow request
        assertThat(channel.isOpen()).isTrue();
        assertThat(timeouts.count()).isZero();
        requests.forEach(ReferenceCountUtil::release);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void theNextRequestOnAKeepAliveConnectionHasItsOwnClock() {
        send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        respond();
        written();
        elapse(TIMEOUT_MS * 3);

        // when a second request starts and stalls
        send("GET /second HTTP/1.1\r\n");
        elapse(TIMEOUT_MS);

        // then it alone is timed out
        assertThat(written()).startsWith("HTTP/1.1 408");
        assertThat(timeouts.count()).isEqualTo(1.0);
        requests.forEach(ReferenceCountUtil::release);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aRequestPipelinedDuringAResponseStartsItsClockWhenTheResponseIsOut() {
        send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        send("GET /next HTTP/1.1\r\n");
        elapse(TIMEOUT_MS * 3);
        assertThat(channel.isOpen()).as("the first request is still being answered").isTrue();

        respond();
        written();
        elapse(TIMEOUT_MS);

        assertThat(written()).startsWith("HTTP/1.1 408");
        requests.forEach(ReferenceCountUtil::release);
        assertFalse(channel.finishAndReleaseAll());
    }
}
