package io.tlswatch.collector.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.tlswatch.collector.ingest.Decoded;
import io.tlswatch.collector.ingest.Problem;
import io.tlswatch.collector.ingest.Received;
import io.tlswatch.collector.ingest.Refusal;
import io.tlswatch.collector.ingest.ReportSignatureVerifier;
import io.tlswatch.collector.ingest.SignatureCheck;
import io.tlswatch.collector.ingest.Skip;
import io.tlswatch.collector.limit.RateLimits;
import io.tlswatch.collector.publish.Outcome;
import io.tlswatch.contract.event.Arrival;
import io.tlswatch.tlsserver.handshake.Peer;
import io.tlswatch.http.JsonResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The collector's HTTP API: {@code POST /v1/reports} (the SDK's JSON), {@code POST /v1/nel} (W3C Reporting API
 * batches of NEL reports) and the CORS preflight {@code OPTIONS /v1/nel}. Thin: the decoders decide what a body
 * holds, {@link io.tlswatch.collector.publish.ReportWriter} takes it to Kafka, and this handler answers: 202
 * once Kafka acknowledged every report, 503 with {@code Retry-After} when it did not in time, 4xx with a JSON
 * body naming the field otherwise; a NEL batch's unreadable items do not make it a 4xx, the 202 counts them. One
 * per connection, because it knows the connection's TLS facts.
 */
public final class ReportsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    public static final String REPORTS_PATH = "/v1/reports";
    public static final String NEL_PATH = "/v1/nel";
    public static final String REPORTS_JSON = "application/reports+json";
    private static final Logger log = LoggerFactory.getLogger(ReportsHandler.class);

    private final ReportApi api;
    private final String listener;
    private final Supplier<String> ja4;

    /**
     * @param listener {@code http} or {@code https}
     * @param ja4      the JA4 fingerprint of this connection's ClientHello, or null (always null over HTTP)
     */
    public ReportsHandler(ReportApi api, String listener, Supplier<String> ja4) {
        this.api = api;
        this.listener = listener;
        this.ja4 = ja4;
    }

    /** What a response needs to know of its request after the request's buffers are released. */
    private record Exchange(boolean keepAlive, boolean cors, String format) {
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        String format = switch (path) {
            case REPORTS_PATH -> CollectorMetrics.NATIVE;
            case NEL_PATH -> CollectorMetrics.NEL;
            default -> CollectorMetrics.NONE;
        };
        Exchange exchange = new Exchange(HttpUtil.isKeepAlive(request), NEL_PATH.equals(path), format);
        if (!request.decoderResult().isSuccess()) {
            boolean tooLong = request.decoderResult().cause() instanceof TooLongFrameException;
            refuse(ctx, new Exchange(false, exchange.cors(), format), Refusal.of(tooLong ? 431 : 400,
                    tooLong ? "head_too_large" : "malformed_http",
                    null, tooLong ? "the request line or headers are too large" : "the request is not valid HTTP/1.1"));
            return;
        }
        if (CollectorMetrics.NONE.equals(format)) {
            refuse(ctx, exchange, Refusal.of(404, "not_found", null, "no such endpoint: " + path));
            return;
        }
        if (exchange.cors() && HttpMethod.OPTIONS.equals(request.method())) {
            preflight(ctx, exchange);
            return;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            refuse(ctx, exchange, Refusal.of(405, "method_not_allowed", null, path + " takes POST"));
            return;
        }
        String expectedType = exchange.cors() ? REPORTS_JSON : HttpHeaderValues.APPLICATION_JSON.toString();
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !HttpUtil.getMimeType(contentType).toString().toLowerCase(Locale.ROOT)
                .equals(expectedType)) {
            refuse(ctx, exchange, Refusal.of(415, "unsupported_media_type", "Content-Type",
                    "the body must be " + expectedType));
            return;
        }
        Peer peer = Peer.of(ctx.channel());
        long now = api.nanoTime().getAsLong();
        RateLimits.Hit hit = api.limits().request(peer.address(), now);
        if (hit != null) {
            rateLimited(ctx, exchange, hit.limit(), hit.retryAfterSeconds());
            return;
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        SignatureCheck signature = api.signatures().check(request.headers().get(ReportSignatureVerifier.HEADER), body);
        if (signature instanceof SignatureCheck.Invalid invalid) {
            refuse(ctx, exchange, Refusal.of(422, "invalid_signature", ReportSignatureVerifier.HEADER,
                    invalid.message()));
            return;
        }
        Received received = new Received(api.clock().instant(), peer.address(), arrival(ctx),
                signature instanceof SignatureCheck.Verified verified ? verified.jkt() : null, peer.via());
        Decoded decoded = exchange.cors() ? api.nelDecoder().decode(body, received)
                : api.nativeDecoder().decode(body, received);
        if (decoded instanceof Decoded.Refused refused) {
            refuse(ctx, exchange, refused.refusal());
            return;
        }
        Decoded.Accepted accepted = (Decoded.Accepted) decoded;
        api.metrics().batch(format, accepted.received());
        api.metrics().reports(format, "ignored", accepted.ignored());
        List<Skip> skipped = accepted.skipped();
        api.metrics().reports(format, "skipped", skipped.size());
        api.metrics().nelSkipped(accepted.skips());
        if (!skipped.isEmpty()) {
            log.debug("Skipped {} of {} items of a {} batch from {}, the first: {}", skipped.size(),
                    accepted.received(), format, peer.address(), skipped.get(0).problems().get(0).message());
        }
        Pending pending = new Pending(ctx, exchange, accepted);
        pending.timeout = ctx.executor().schedule(pending::timedOut, api.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
        api.writer().write(accepted.reports(), outcome -> ctx.executor().execute(() -> pending.answer(outcome)));
    }

    /** One request waiting for Kafka; touched only on the connection's event loop. */
    private final class Pending {
        private final ChannelHandlerContext ctx;
        private final Exchange exchange;
        private final Decoded.Accepted accepted;
        private io.netty.util.concurrent.ScheduledFuture<?> timeout;
        private boolean answered;

        Pending(ChannelHandlerContext ctx, Exchange exchange, Decoded.Accepted accepted) {
            this.ctx = ctx;
            this.exchange = exchange;
            this.accepted = accepted;
        }

        void timedOut() {
            if (!answered) {
                answered = true;
                log.warn("Kafka did not acknowledge {} reports within {} ms: answered 503", accepted.reports().size(),
                        api.ackTimeout().toMillis());
                unavailable(ctx, exchange, "kafka_timeout",
                        "the reports could not be stored in time; retry later");
            }
        }

        void answer(Outcome outcome) {
            if (answered) {
                return;
            }
            answered = true;
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (outcome instanceof Outcome.Written written) {
                api.metrics().reports(exchange.format(), "accepted", written.written());
                api.metrics().reports(exchange.format(), "duplicate", written.duplicates());
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("received", accepted.received());
                body.put("written", written.written());
                body.put("duplicates", written.duplicates());
                body.put("ignored", accepted.ignored());
                List<Skip> skipped = accepted.skipped();
                body.put("skipped", skipped.size());
                if (!skipped.isEmpty()) {
                    // Browsers never read it; whoever tests a NEL policy by hand learns here what was not taken.
                    body.put("problems", problems(skipped.stream()
                            .flatMap(skip -> skip.problems().stream()).toList()));
                }
                respond(ctx, exchange, JsonResponses.json(ctx.alloc(), HttpResponseStatus.ACCEPTED, body));
            } else if (outcome instanceof Outcome.RateLimited limited) {
                rateLimited(ctx, exchange, limited.limit(), limited.retryAfterSeconds());
            } else if (outcome instanceof Outcome.Overloaded) {
                unavailable(ctx, exchange, "overloaded", "too many reports are waiting for storage; retry later");
            } else if (outcome instanceof Outcome.Failed failed) {
                log.warn("Kafka did not take {} reports: {}", accepted.reports().size(), failed.reason());
                unavailable(ctx, exchange, "kafka_unavailable", "the reports could not be stored; retry later");
            }
        }
    }

    private Arrival arrival(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl == null ? null : ssl.engine().getSession();
        if (session == null) {
            return new Arrival(listener, null, null, null);
        }
        return new Arrival(listener, session.getProtocol(), session.getCipherSuite(), ja4.get());
    }

    private void preflight(ChannelHandlerContext ctx, Exchange exchange) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        response.headers()
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS")
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, " + ReportSignatureVerifier.HEADER)
                .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "86400")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        respond(ctx, exchange, response);
    }

    private void rateLimited(ChannelHandlerContext ctx, Exchange exchange, String limit, long retryAfterSeconds) {
        api.metrics().rateLimited(limit);
        FullHttpResponse response = error(ctx, Refusal.of(429, "rate_limited", null, "too many reports from this "
                + limit + "; retry after " + retryAfterSeconds + " s"));
        response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
        api.metrics().refused(exchange.format(), "rate_limited");
        respond(ctx, exchange, response);
    }

    private void unavailable(ChannelHandlerContext ctx, Exchange exchange, String code, String message) {
        FullHttpResponse response = error(ctx, Refusal.of(503, code, null, message));
        response.headers().set(HttpHeaderNames.RETRY_AFTER,
                Long.toString(Math.max(1, api.retryAfter().toSeconds())));
        api.metrics().refused(exchange.format(), code);
        respond(ctx, exchange, response);
    }

    private void refuse(ChannelHandlerContext ctx, Exchange exchange, Refusal refusal) {
        api.metrics().refused(exchange.format(), refusal.code());
        log.debug("Refused a {} request: {} {}", exchange.format(), refusal.status(), refusal.message());
        respond(ctx, exchange, error(ctx, refusal));
    }

    private static FullHttpResponse error(ChannelHandlerContext ctx, Refusal refusal) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", refusal.code());
        error.put("message", refusal.message());
        if (refusal.field() != null) {
            error.put("field", refusal.field());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (!refusal.problems().isEmpty()) {
            body.put("problems", problems(refusal.problems()));
        }
        return JsonResponses.json(ctx.alloc(), HttpResponseStatus.valueOf(refusal.status()), body);
    }

    private static List<Map<String, String>> problems(List<Problem> problems) {
        return problems.stream().map(p -> {
            Map<String, String> item = new LinkedHashMap<>();
            item.put("field", p.field());
            item.put("code", p.code());
            item.put("message", p.message());
            return item;
        }).toList();
    }

    private static void respond(ChannelHandlerContext ctx, Exchange exchange, FullHttpResponse response) {
        if (exchange.cors()) {
            // NEL user agents (browsers) send reports cross-origin, from any page that set a NEL policy.
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        JsonResponses.write(ctx, response, exchange.keepAlive());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
