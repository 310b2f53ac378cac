package io.tlswatch.validator.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.tlswatch.contract.event.AdminScope;
import io.tlswatch.contract.serde.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The admin API handler in an {@link EmbeddedChannel}: requests in, JSON answers out, in order, nothing leaked. */
class AdminApiHandlerTest {

    private final AdminFixture admin = new AdminFixture();
    private final String token = admin.token("ops", AdminScope.WRITE, null);

    private static FullHttpRequest request(HttpMethod method, String uri, String token, String json) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                json == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        if (token != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        if (json != null) {
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length());
        }
        return request;
    }

    private static JsonNode body(FullHttpResponse response) throws IOException {
        try {
            return Json.reader().readTree(response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    @Test
    void answersARequestWithItsStatusHeadersAndJsonBody() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminApiHandler(admin.api, admin.metrics, Runnable::run));

        channel.writeInbound(request(HttpMethod.GET, "/v1/admin/licenses", null, null));

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(401);
        assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(body(response).get("error").get("code").asText()).isEqualTo("unauthorized");
        assertThat(channel.isOpen()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void pipelinedRequestsWaitForTheWorkerAndAreAnsweredInOrder() throws IOException {
        Queue<Runnable> work = new ArrayDeque<>();
        EmbeddedChannel channel = new EmbeddedChannel(new AdminApiHandler(admin.api, admin.metrics, work::add));
        admin.license("lic-1");

        channel.writeInbound(request(HttpMethod.POST, "/v1/admin/licenses/lic-1/suspend", token, "{}"),
                request(HttpMethod.GET, "/v1/admin/licenses/lic-1", token, null));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(work).hasSize(1);
        work.poll().run();
        channel.runPendingTasks();
        FullHttpResponse first = channel.readOutbound();
        work.poll().run();
        channel.runPendingTasks();
        FullHttpResponse second = channel.readOutbound();

        assertThat(body(first).get("written").asBoolean()).isTrue();
        assertThat(body(second).get("status").asText()).isEqualTo("suspended");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aRequestThatDidNotParseIsRefusedAndTheConnectionClosed() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminApiHandler(admin.api, admin.metrics, Runnable::run));
        FullHttpRequest broken = request(HttpMethod.GET, "/v1/admin/licenses", token, null);
        broken.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("bad header")));

        channel.writeInbound(broken);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(400);
        assertThat(body(response).get("error").get("code").asText()).isEqualTo("malformed_http");
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aRequestArrivingDuringShutdownIsAnsweredUnavailable() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminApiHandler(admin.api, admin.metrics, task -> {
            throw new RejectedExecutionException("stopping");
        }));

        channel.writeInbound(request(HttpMethod.GET, "/v1/admin/licenses", token, null));

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(503);
        assertThat(body(response).get("error").get("code").asText()).isEqualTo("shutting_down");
        assertFalse(channel.finishAndReleaseAll());
    }
}
