package io.tlswatch.collector;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.collector.http.CollectorMetrics;
import io.tlswatch.collector.http.ReportApi;
import io.tlswatch.collector.http.ReportsHandler;
import io.tlswatch.tlsserver.handshake.ClientHelloCapture;
import io.tlswatch.tlsserver.classify.FailureClassifier;
import io.tlswatch.tlsserver.handshake.HandshakeEventFactory;
import io.tlswatch.tlsserver.handshake.HandshakeMetrics;
import io.tlswatch.tlsserver.handshake.HandshakeObservation;
import io.tlswatch.tlsserver.handshake.HandshakeRecorder;
import io.tlswatch.tlsserver.handshake.HandshakeWatch;
import io.tlswatch.tlsserver.handshake.TlsCloser;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import io.tlswatch.tlsserver.limits.InFlightRequests;
import io.tlswatch.tlsserver.limits.JsonHttpObjectAggregator;
import io.tlswatch.tlsserver.limits.RequestTimeout;
import io.tlswatch.tlsserver.proxy.ProxyProtocol;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.tls.ServerTlsSource;
import io.tlswatch.contract.topic.Topics;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds each connection's pipeline for one of the collector's listeners: limits, then (HTTPS only) the
 * ClientHello capture and handshake watch in front of the TLS engine and the handshake recorder behind it, then
 * HTTP with its limits and the report API.
 */
@ChannelHandler.Sharable
final class CollectorInitializer extends ChannelInitializer<SocketChannel> {

    /** What the HTTPS listener adds; absent for plain HTTP. */
    record Tls(ServerTlsSource source, ClientHelloParser parser, HandshakeEventFactory events,
               FailureClassifier classifier, HandshakeMetrics metrics, EventSink sink) {
    }

    private final String listener;
    private final CollectorConfig config;
    private final Tls tls;
    private final ChannelGroup connections;
    private final ConnectionLimiter limiter;
    private final InFlightRequests inFlight;
    private final ReportApi api;
    private final Counter requestTimeouts;
    private final Clock clock;
    private final ProxyProtocol proxy;

    /** @param tls null for the plain HTTP listener */
    CollectorInitializer(String listener, CollectorConfig config, Tls tls, ChannelGroup connections,
                         ConnectionLimiter limiter, InFlightRequests inFlight, ReportApi api,
                         Counter requestTimeouts, Clock clock, ProxyProtocol proxy) {
        this.listener = listener;
        this.config = config;
        this.tls = tls;
        this.connections = connections;
        this.limiter = limiter;
        this.inFlight = inFlight;
        this.api = api;
        this.requestTimeouts = requestTimeouts;
        this.clock = clock;
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        ChannelPipeline pipeline = ch.pipeline().addLast("limits", limiter);
        Supplier<String> ja4 = () -> null;
        if (tls != null) {
            HandshakeObservation observation = new HandshakeObservation(clock.instant(), System.nanoTime());
            // Asked per connection, so that a rotated certificate (and its current OCSP staple) is used at once.
            SslHandler ssl = tls.source().newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
            pipeline.addLast("handshake-watch", new HandshakeWatch(observation))
                    .addLast("client-hello", new ClientHelloCapture(tls.parser(), observation))
                    .addLast("tls", ssl)
                    .addLast("handshake-recorder", new HandshakeRecorder(observation, tls.events(), tls.classifier(),
                            tls.sink(), Topics.HANDSHAKES, tls.metrics(), System::nanoTime))
                    .addLast("tls-close", new TlsCloser(tls.metrics()));
            ja4 = () -> observation.summary() == null ? null : observation.summary().ja4();
        }
        RequestTimeout requestTimeout = new RequestTimeout(config.requestTimeout(), requestTimeouts);
        pipeline.addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("request-start", requestTimeout.firstBytes())
                .addLast("http", new HttpServerCodec(4096, config.maxHeaderBytes(), 8192))
                .addLast("request-end", requestTimeout.completeRequests())
                .addLast("aggregator", new JsonHttpObjectAggregator(config.maxBodyBytes(),
                        () -> api.metrics().refused(CollectorMetrics.NONE, "body_too_large")))
                .addLast("in-flight", inFlight)
                .addLast("api", new ReportsHandler(api, listener, ja4));
        // Behind the limits, in front of all that reads the client's bytes: the header comes before the ClientHello.
        proxy.install(pipeline, "limits");
    }
}
