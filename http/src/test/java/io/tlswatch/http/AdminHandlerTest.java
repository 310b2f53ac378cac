package io.tlswatch.http;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class AdminHandlerTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicBoolean caughtUp = new AtomicBoolean(false);
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new AdminHandler(registry, List.of(HealthCheck.of("registry", caughtUp::get))));

    private record Answer(HttpResponseStatus status, String contentType, String body) {
    }

    private Answer get(String uri) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
        FullHttpResponse response = channel.readOutbound();
        try {
            return new Answer(response.status(), response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    @Test
    void metricsAreServedAsPrometheusText() {
        // given
        registry.counter("tlswatch.test.things").increment(3);

        // when
        Answer answer = get("/metrics");

        // then
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(answer.body()).contains("tlswatch_test_things_total 3.0");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void liveIsUpWhileTheProcessRuns() {
        Answer answer = get("/health/live");

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(answer.body()).isEqualTo("{\"status\":\"UP\"}");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void readyIsDownNamingTheCheckUntilEveryCheckPasses() {
        // given the registry has not caught up
        Answer before = get("/health/ready");

        // when it has
        caughtUp.set(true);
        Answer after = get("/health/ready");

        // then
        assertThat(before.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(before.body()).isEqualTo("{\"checks\":{\"registry\":\"DOWN\"},\"status\":\"DOWN\"}");
        assertThat(after.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(after.body()).isEqualTo("{\"checks\":{\"registry\":\"UP\"},\"status\":\"UP\"}");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void unknownPathIsAJsonNotFound() {
        Answer answer = get("/admin/secret");

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(answer.contentType()).isEqualTo("application/json");
        assertThat(answer.body()).contains("\"code\":\"not_found\"");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void otherMethodsThanGetAreRefused() {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/metrics"));
        FullHttpResponse response = channel.readOutbound();

        assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        response.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void idleReadTimeoutClosesTheConnectionWithoutPassingTheErrorOn() {
        // given a keep-alive connection that has been idle past the read timeout
        channel.pipeline().fireExceptionCaught(ReadTimeoutException.INSTANCE);

        // then it is closed, and nothing reached the end of the pipeline (checkException rethrows it if it did)
        assertThat(channel.isOpen()).isFalse();
        channel.checkException();
        assertFalse(channel.finishAndReleaseAll());
    }
}
