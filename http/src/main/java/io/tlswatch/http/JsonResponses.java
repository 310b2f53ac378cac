package io.tlswatch.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.tlswatch.contract.serde.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the JSON responses every tlswatch HTTP endpoint answers with, errors included. */
public final class JsonResponses {

    private JsonResponses() {
    }

    /** A response whose body is {@code body} written as JSON. */
    public static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.writer().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("response body cannot be written as JSON", e);
        }
        return bytes(alloc, status, bytes, HttpHeaderValues.APPLICATION_JSON.toString());
    }

    public static FullHttpResponse bytes(ByteBufAllocator alloc, HttpResponseStatus status, byte[] body,
                                         String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                alloc.buffer(body.length).writeBytes(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }

    /**
     * An error: {@code {"error": {"code": ..., "message": ..., "field": ...}}}. {@code code} is a stable,
     * machine-readable word; {@code field} names the offending input (a JSON pointer or header name) or is
     * null when the problem is not one field's.
     */
    public static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String code,
                                         String message, String field) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return json(alloc, status, Map.of("error", error));
    }

    /**
     * Writes {@code response} and keeps the connection open only when {@code keepAlive}; otherwise the response
     * says {@code Connection: close} and the channel closes once it is written, so a client never waits on a
     * connection the server has given up.
     */
    public static void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
