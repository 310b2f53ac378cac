package io.tlswatch.tlsserver.limits;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class JsonHttpObjectAggregatorTest {

    @Test
    void anOversizedBodyGets413InJsonIsCountedAndAConnectionCloseRequestIsClosed() {
        // given a 1 KiB limit
        AtomicInteger counted = new AtomicInteger();
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
                new JsonHttpObjectAggregator(1024, counted::incrementAndGet));

        // when a request announces 2 KiB
        channel.writeInbound(Unpooled.copiedBuffer("POST /v1/licenses/validate HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2048\r\nConnection: close\r\n\r\n",
                StandardCharsets.US_ASCII));

        // then
        StringBuilder written = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            written.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        assertThat(written.toString()).startsWith("HTTP/1.1 413 Request Entity Too Large")
                .contains("\"code\":\"body_too_large\"").contains("1024 bytes");
        assertThat(counted).hasValue(1);
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aKeepAliveClientStillSendingItsBodyKeepsTheConnectionToReadThe413() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
                new JsonHttpObjectAggregator(1024, () -> { }));

        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2048\r\n\r\n",
                StandardCharsets.US_ASCII));

        ByteBuf out = channel.readOutbound();
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 413").contains("body_too_large");
        out.release();
        assertThat(channel.isOpen()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aBodyWithinTheLimitIsAggregated() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
                new JsonHttpObjectAggregator(1024, () -> { }));

        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                StandardCharsets.US_ASCII));

        io.netty.handler.codec.http.FullHttpRequest request = channel.readInbound();
        assertThat(request.content().toString(StandardCharsets.US_ASCII)).isEqualTo("{}");
        request.release();
        assertFalse(channel.finishAndReleaseAll());
    }
}
