package io.tlswatch.common.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tlswatch.common.serde.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@link RequestTimeout} on an {@link EmbeddedChannel} whose clock only moves when the test moves it. */
class RequestTimeoutTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Counter timeouts = new SimpleMeterRegistry().counter("tlswatch.http.timeouts");
    private final EmbeddedChannel channel = channel();

    private EmbeddedChannel channel() {
        // Frozen before the handler is added, so that its deadline is exactly TIMEOUT from "now".
        EmbeddedChannel embedded = new EmbeddedChannel();
        embedded.freezeTime();
        embedded.pipeline().addLast(new RequestTimeout(TIMEOUT, timeouts));
        return embedded;
    }

    private void advance(Duration by) {
        channel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private void request() {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/licenses/validate"));
        FullHttpRequest passedOn = channel.readInbound();
        assertThat(passedOn).as("the request goes on to the handler behind").isNotNull();
        passedOn.release();
    }

    private void respond() {
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ReferenceCountUtil.release(channel.readOutbound());
    }

    @Test
    void noRequestWithinTheTimeoutGets408AndTheConnectionIsClosed() throws IOException {
        // given a connection that sends nothing
        // when just under the timeout has passed
        advance(TIMEOUT.minusMillis(1));

        // then nothing yet
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(timeouts.count()).isZero();

        // when the timeout has passed
        advance(Duration.ofMillis(1));

        // then a JSON 408, the connection closed, and the timeout counted
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_TIMEOUT);
            assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
            JsonNode error = Json.reader().readTree(response.content().toString(StandardCharsets.UTF_8)).get("error");
            assertThat(error.get("code").asText()).isEqualTo("request_timeout");
            assertThat(error.get("message").asText()).isEqualTo("the request did not arrive within 10000 ms");
        } finally {
            response.release();
        }
        assertThat(channel.isOpen()).isFalse();
        assertThat(timeouts.count()).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aRequestThatArrivesInTimeDisarmsTheTimer() {
        // given a request that arrives just before the deadline
        advance(TIMEOUT.minusMillis(1));
        request();

        // when the handler behind takes much longer than the timeout to answer
        advance(TIMEOUT.multipliedBy(3));

        // then the connection is left alone
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();
        assertThat(timeouts.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void afterAResponseTheClockStartsAgainForTheNextRequest() {
        // given a request answered late
        request();
        advance(TIMEOUT.multipliedBy(2));
        respond();

        // when almost the timeout passes after the response
        advance(TIMEOUT.minusMillis(1));

        // then the connection is still open: the clock started at the response, not at the connection
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(timeouts.count()).isZero();

        // when no second request arrives in time
        advance(Duration.ofMillis(1));

        // then 408 and close
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_TIMEOUT);
        response.release();
        assertThat(channel.isOpen()).isFalse();
        assertThat(timeouts.count()).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void theClockRestartsOnlyWhenTheResponseIsComplete() {
        // given a request whose response head went out, but not its last content
        request();
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        HttpResponse head = channel.readOutbound();
        assertThat(head).isNotNull();

        // when far more than the timeout passes while the body is still being produced
        advance(TIMEOUT.multipliedBy(2));

        // then no 408 into the middle of a response
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(channel.isOpen()).isTrue();

        // and once the last content is written the clock runs again
        channel.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        ReferenceCountUtil.release(channel.readOutbound());
        advance(TIMEOUT);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_TIMEOUT);
        response.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aConnectionClosedBeforeTheTimeoutIsNotCounted() {
        // given the client hangs up early
        advance(TIMEOUT.dividedBy(2));
        channel.close();

        // when the deadline would have passed
        advance(TIMEOUT);

        // then nothing fires
        assertThat(timeouts.count()).isZero();
        assertFalse(channel.finishAndReleaseAll());
    }
}
