package io.tlswatch.validator.api;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.tlswatch.common.event.LicenseCheckEvent;
import io.tlswatch.common.handshake.Established;
import io.tlswatch.common.handshake.Peer;
import io.tlswatch.common.http.JsonResponses;
import io.tlswatch.common.publish.EventSink;
import io.tlswatch.common.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The license API over HTTP: {@code POST /v1/licenses/validate} and {@code GET /.well-known/jwks.json}.
 * Thin: the request is read by {@link ValidateRequestReader}, decided by {@link LicenseService}, and this
 * handler turns the outcome into a response, an event and meters. One per connection, because it knows the
 * connection's fingerprint.
 */
public final class LicenseApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    public static final String VALIDATE_PATH = "/v1/licenses/validate";
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    private static final Logger log = LoggerFactory.getLogger(LicenseApiHandler.class);

    private final ValidateRequestReader reader;
    private final LicenseService service;
    private final Supplier<String> jwks;
    private final EventSink events;
    private final Topic<String, LicenseCheckEvent> topic;
    private final ApiMetrics metrics;
    private final Supplier<Established> established;

    /**
     * @param established what this connection's handshake settled (null without TLS); read here, rather than
     *                    the engine's session, because this handler may run off the connection's event loop
     */
    public LicenseApiHandler(ValidateRequestReader reader, LicenseService service, Supplier<String> jwks,
                             EventSink events, Topic<String, LicenseCheckEvent> topic, ApiMetrics metrics,
                             Supplier<Established> established) {
        this.reader = reader;
        this.service = service;
        this.jwks = jwks;
        this.events = events;
        this.topic = topic;
        this.metrics = metrics;
        this.established = established;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long started = System.nanoTime();
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            boolean tooLong = cause instanceof TooLongFrameException;
            reject(ctx, request, tooLong ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST,
                    tooLong ? "head_too_large" : "malformed_http", tooLong
                            ? "the request line or headers are too large" : "the request is not valid HTTP/1.1", null, true);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        switch (path) {
            case VALIDATE_PATH -> validate(ctx, request, started);
            case JWKS_PATH -> jwks(ctx, request);
            default -> reject(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path,
                    null, false);
        }
    }

    private void validate(ChannelHandlerContext ctx, FullHttpRequest request, long started) {
        if (!HttpMethod.POST.equals(request.method())) {
            reject(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    VALIDATE_PATH + " takes POST", null, false);
            return;
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !HttpUtil.getMimeType(contentType).toString().toLowerCase(Locale.ROOT)
                .equals(HttpHeaderValues.APPLICATION_JSON.toString())) {
            reject(ctx, request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "the body must be application/json", "Content-Type", false);
            return;
        }
        ValidateRequestReader.Result read = reader.read(ByteBufUtil.getBytes(request.content()));
        if (read.error() != null) {
            RequestError e = read.error();
            reject(ctx, request, e.status(), e.code(), e.message(), e.field(), false);
            return;
        }
        LicenseService.Answer answer;
        try {
            answer = service.validate(read.request(), request.headers().getAll("DPoP"), connection(ctx), started);
        } catch (RuntimeException e) {
            // A bug, not a client error: answer it (the client must not hang) and make it loud.
            log.error("Validation failed unexpectedly for client {}", read.request().clientId(), e);
            reject(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                    "the validation could not be completed; retry later", null, true);
            return;
        }
        events.publish(topic, answer.event());
        metrics.checked(answer.code(), Duration.ofNanos(System.nanoTime() - started));
        respond(ctx, request, JsonResponses.json(ctx.alloc(), HttpResponseStatus.OK, answer.body()), false);
    }

    private void jwks(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            reject(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", JWKS_PATH + " takes GET",
                    null, false);
            return;
        }
        FullHttpResponse response = JsonResponses.bytes(ctx.alloc(), HttpResponseStatus.OK,
                jwks.get().getBytes(StandardCharsets.UTF_8), "application/jwk-set+json");
        // Short enough that a rotated key is seen soon; clients refetch on an unknown kid anyway.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "public, max-age=60");
        respond(ctx, request, response, false);
    }

    private ConnectionFacts connection(ChannelHandlerContext ctx) {
        String remote = Peer.of(ctx.channel()).address();
        Established tls = established.get();
        if (tls == null) {
            return new ConnectionFacts(remote, "none", "none", null, null);
        }
        return new ConnectionFacts(remote, tls.protocol(), tls.cipherSuite(), tls.ja4(), tls.clientCertificate());
    }

    private void reject(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String code,
                        String message, String field, boolean close) {
        metrics.rejected(code);
        log.debug("Refused {} {}: {} {}", request.method(), request.uri(), status.code(), message);
        respond(ctx, request, JsonResponses.error(ctx.alloc(), status, code, message, field), close);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
                                boolean close) {
        JsonResponses.write(ctx, response, !close && HttpUtil.isKeepAlive(request));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            // An idle keep-alive connection is closed so that idle clients do not hold connection slots.
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures and resets end here after the handshake recorder has reported them: expected, quiet.
        log.debug("Connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
