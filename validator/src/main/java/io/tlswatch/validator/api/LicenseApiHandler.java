package io.tlswatch.validator.api;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DateFormatter;
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
import io.netty.util.concurrent.EventExecutor;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.tlsserver.handshake.Established;
import io.tlswatch.tlsserver.handshake.Peer;
import io.tlswatch.http.JsonResponses;
import io.tlswatch.http.OneAtATime;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.topic.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The license API over HTTP: {@code POST /v1/licenses/validate}, the machine endpoints
 * ({@code POST /v1/machines/activate|heartbeat|deactivate}, {@link MachineService}) and
 * {@code GET /.well-known/jwks.json}.
 * Thin: the request is read by {@link ValidateRequestReader}, decided by {@link LicenseService}, and this
 * handler turns the outcome into a response, an event and meters. One per connection, because it knows the
 * connection's fingerprint.
 *
 * <p>It runs on the connection's event loop and answers there whatever needs no signature (the JWKS, refusals).
 * A validation verifies a proof and signs a token, about a millisecond of CPU, so only {@link LicenseService#validate}
 * (or a machine endpoint's call, which may wait for its row to be read back) runs on {@code work}, and the answer
 * comes back to the loop. While it is out, the connection reads nothing more
 * and requests already decoded wait here, so that pipelined HTTP/1.1 requests are answered in order.
 */
public final class LicenseApiHandler extends ChannelInboundHandlerAdapter {

    public static final String VALIDATE_PATH = "/v1/licenses/validate";
    public static final String JWKS_PATH = "/.well-known/jwks.json";
    private static final Logger log = LoggerFactory.getLogger(LicenseApiHandler.class);

    private final ValidateRequestReader reader;
    private final LicenseService service;
    private final MachineService machines;
    private final Supplier<String> jwks;
    private final EventSink events;
    private final Topic<String, LicenseCheckEvent> topic;
    private final ApiMetrics metrics;
    private final RefusalLog refusalLog;
    private final Supplier<Established> established;
    private final Executor work;
    /** Requests that arrived while a validation was out, in arrival order; touched on the event loop only. */
    private final OneAtATime requests = new OneAtATime(this::answer);

    /**
     * @param established what this connection's handshake settled (null without TLS)
     * @param work        where validations run: off the event loop, so that it keeps handshaking meanwhile
     */
    public LicenseApiHandler(ValidateRequestReader reader, LicenseService service, Supplier<String> jwks,
                             EventSink events, Topic<String, LicenseCheckEvent> topic, ApiMetrics metrics,
                             RefusalLog refusalLog, Supplier<Established> established, Executor work) {
        this(reader, service, null, jwks, events, topic, metrics, refusalLog, established, work);
    }

    /** @param machines the machine endpoints; {@code null} for none (they answer 404) */
    public LicenseApiHandler(ValidateRequestReader reader, LicenseService service, MachineService machines,
                             Supplier<String> jwks, EventSink events, Topic<String, LicenseCheckEvent> topic,
                             ApiMetrics metrics, RefusalLog refusalLog, Supplier<Established> established,
                             Executor work) {
        this.reader = reader;
        this.service = service;
        this.machines = machines;
        this.jwks = jwks;
        this.events = events;
        this.topic = topic;
        this.metrics = metrics;
        this.refusalLog = refusalLog;
        this.established = established;
        this.work = work;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        requests.arrived(ctx, request);
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request) {
        try {
            route(ctx, request);
        } finally {
            request.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request) {
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
        Operation operation = operation(path);
        if (operation != null) {
            check(ctx, request, started, path, operation);
        } else if (JWKS_PATH.equals(path)) {
            jwks(ctx, request);
        } else {
            reject(ctx, request, HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path, null, false);
        }
    }

    /** What a POST endpoint does with a well-formed request, off the event loop; {@code null} for no such path. */
    private Operation operation(String path) {
        if (VALIDATE_PATH.equals(path)) {
            return v -> service.validate(v.request(), v.proofs(), v.connection(), v.started());
        }
        if (machines == null) {
            return null;
        }
        return switch (path) {
            case MachineService.ACTIVATE_PATH ->
                    v -> machines.activate(v.request(), v.name(), v.proofs(), v.connection(), v.started());
            case MachineService.HEARTBEAT_PATH ->
                    v -> machines.heartbeat(v.request(), v.proofs(), v.connection(), v.started());
            case MachineService.DEACTIVATE_PATH ->
                    v -> machines.deactivate(v.request(), v.proofs(), v.connection(), v.started());
            default -> null;
        };
    }

    private void check(ChannelHandlerContext ctx, FullHttpRequest request, long started, String path,
                       Operation operation) {
        if (!HttpMethod.POST.equals(request.method())) {
            reject(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    path + " takes POST", null, false);
            return;
        }
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !HttpUtil.getMimeType(contentType).toString().toLowerCase(Locale.ROOT)
                .equals(HttpHeaderValues.APPLICATION_JSON.toString())) {
            reject(ctx, request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "the body must be application/json", "Content-Type", false);
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        ValidateRequestReader.Result read = reader.read(body);
        if (read.error() != null) {
            RequestError e = read.error();
            reject(ctx, request, e.status(), e.code(), e.message(), e.field(), false);
            return;
        }
        String name = null;
        if (MachineService.ACTIVATE_PATH.equals(path)) {
            MachineService.Name named = MachineService.readName(body);
            if (named.error() != null) {
                RequestError e = named.error();
                reject(ctx, request, e.status(), e.code(), e.message(), e.field(), false);
                return;
            }
            name = named.value();
        }
        // Everything the decision needs is copied out: the request is released when this method returns.
        Validation validation = new Validation(read.request(), name, List.copyOf(request.headers().getAll("DPoP")),
                connection(ctx), started, HttpUtil.isKeepAlive(request), operation);
        requests.offloaded(ctx);
        try {
            work.execute(() -> {
                Decision decision = decide(validation);
                EventExecutor loop = ctx.executor();
                if (loop.inEventLoop()) {
                    decided(ctx, validation, decision);
                } else {
                    loop.execute(() -> decided(ctx, validation, decision));
                }
            });
        } catch (RejectedExecutionException e) {
            // The validator is shutting down under this request: it gets an answer, not a hang.
            decided(ctx, validation, new Decision(null, e));
        }
    }

    /** Off the event loop: decides, and publishes the event, meters and refusal log (all thread-safe). */
    private Decision decide(Validation validation) {
        try {
            LicenseService.Answer answer = validation.operation().run(validation);
            // Heartbeats and deactivations are no license checks: tlswatch.machines.v1 records them instead.
            if (answer.event() != null) {
                events.publish(topic, answer.event());
                metrics.checked(answer.code(), Duration.ofNanos(System.nanoTime() - validation.started()));
                String refusal = answer.event().refusal();
                if (refusal != null) {
                    metrics.refused(refusal);
                    refusalLog.record(answer.event());
                }
            }
            return new Decision(answer, null);
        } catch (RuntimeException e) {
            return new Decision(null, e);
        }
    }

    /** Back on the event loop: answers, then takes up the requests that waited. */
    private void decided(ChannelHandlerContext ctx, Validation validation, Decision decision) {
        if (decision.answer() != null) {
            respond(ctx, JsonResponses.json(ctx.alloc(), HttpResponseStatus.OK, decision.answer().body()),
                    validation.keepAlive());
        } else if (decision.failure() instanceof RejectedExecutionException) {
            metrics.rejected("shutting_down");
            respond(ctx, JsonResponses.error(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE, "shutting_down",
                    "the validator is shutting down; retry", null), false);
        } else {
            // A bug, not a client error: answer it (the client must not hang) and make it loud.
            log.error("Validation failed unexpectedly for client {}", validation.request().clientId(),
                    decision.failure());
            metrics.rejected("internal_error");
            respond(ctx, JsonResponses.error(ctx.alloc(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error",
                    "the validation could not be completed; retry later", null), false);
        }
        requests.done(ctx);
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
        respond(ctx, response, HttpUtil.isKeepAlive(request));
    }

    private ConnectionFacts connection(ChannelHandlerContext ctx) {
        Peer peer = Peer.of(ctx.channel());
        Established tls = established.get();
        if (tls == null) {
            return new ConnectionFacts(peer.address(), "none", "none", null, null, peer.via());
        }
        return new ConnectionFacts(peer.address(), tls.protocol(), tls.cipherSuite(), tls.ja4(),
                tls.clientCertificate(), peer.via());
    }

    private void reject(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String code,
                        String message, String field, boolean close) {
        metrics.rejected(code);
        log.debug("Refused {} {}: {} {}", request.method(), request.uri(), status.code(), message);
        respond(ctx, JsonResponses.error(ctx.alloc(), status, code, message, field),
                !close && HttpUtil.isKeepAlive(request));
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        // RFC 9110 §6.6.1: an origin server with a clock sends it. A client whose proofs are refused compares it
        // with its own clock to tell a wrong clock from a broken proof (docs/client.md).
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(Date.from(service.now())));
        if (!keepAlive) {
            requests.closeAfterAnswer();
        }
        JsonResponses.write(ctx, response, keepAlive);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        requests.release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        requests.release();
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

    /**
     * What a validation needs, copied off the request so that it can be released at once.
     *
     * @param name an activation's optional machine name
     */
    private record Validation(ValidateRequest request, String name, List<String> proofs, ConnectionFacts connection,
                              long started, boolean keepAlive, Operation operation) {
    }

    /** One POST endpoint's work on a well-formed request. */
    @FunctionalInterface
    private interface Operation {
        LicenseService.Answer run(Validation validation);
    }

    /** The service's answer, or what went wrong deciding it. */
    private record Decision(LicenseService.Answer answer, Throwable failure) {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures and resets end here after the handshake recorder has reported them: expected, quiet.
        log.debug("Connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
