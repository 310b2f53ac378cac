package io.tlswatch.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin endpoints every service has: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready}. Stateless apart from final, thread-safe fields, hence sharable.
 */
@ChannelHandler.Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final List<HealthCheck> readiness;

    public AdminHandler(PrometheusMeterRegistry registry, List<HealthCheck> readiness) {
        this.registry = registry;
        this.readiness = List.copyOf(readiness);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response = respond(ctx, request);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        JsonResponses.write(ctx, response, keepAlive);
    }

    /**
     * The last handler of the admin and query pipelines: a scraper's idle keep-alive connection reaching the read
     * timeout, or a peer resetting, is expected and closes quietly instead of reaching Netty's tail handler, which
     * would log a warning with a stack trace.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Admin connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private FullHttpResponse respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            return JsonResponses.error(ctx.alloc(), HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                    "only GET is allowed here", null);
        }
        return switch (path) {
            case "/metrics" -> JsonResponses.bytes(ctx.alloc(), HttpResponseStatus.OK,
                    registry.scrape().getBytes(StandardCharsets.UTF_8), PROMETHEUS_TEXT);
            case "/health/live" -> JsonResponses.json(ctx.alloc(), HttpResponseStatus.OK, Map.of("status", "UP"));
            case "/health/ready" -> ready(ctx);
            default -> JsonResponses.error(ctx.alloc(), HttpResponseStatus.NOT_FOUND, "not_found",
                    "no such endpoint: " + path, null);
        };
    }

    private FullHttpResponse ready(ChannelHandlerContext ctx) {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean all = true;
        for (HealthCheck check : readiness) {
            boolean ok = check.ready();
            all &= ok;
            checks.put(check.name(), ok ? "UP" : "DOWN");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", all ? "UP" : "DOWN");
        body.put("checks", checks);
        return JsonResponses.json(ctx.alloc(), all ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                body);
    }
}
