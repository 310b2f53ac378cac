package io.tlswatch.validator;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutorGroup;
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
import io.tlswatch.validator.api.ApiMetrics;
import io.tlswatch.validator.api.LicenseApiHandler;
import io.tlswatch.validator.api.LicenseService;
import io.tlswatch.validator.api.RefusalLog;
import io.tlswatch.validator.api.ValidateRequestReader;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Builds each connection's pipeline: limits, the ClientHello capture and handshake watch in front of the TLS
 * engine, the handshake recorder behind it, then HTTP with its limits and the license API.
 */
@io.netty.channel.ChannelHandler.Sharable
final class ValidatorInitializer extends ChannelInitializer<SocketChannel> {

    private final ValidatorConfig config;
    private final ServerTlsSource tls;
    private final ChannelGroup connections;
    private final ConnectionLimiter limiter;
    private final InFlightRequests inFlight;
    private final ClientHelloParser parser;
    private final HandshakeEventFactory handshakeEvents;
    private final FailureClassifier classifier;
    private final HandshakeMetrics handshakeMetrics;
    private final EventSink events;
    private final ValidateRequestReader reader;
    private final LicenseService service;
    private final Supplier<String> jwks;
    private final ApiMetrics apiMetrics;
    private final RefusalLog refusalLog;
    private final Counter requestTimeouts;
    private final Clock clock;
    private final EventExecutorGroup api;
    private final ProxyProtocol proxy;

    ValidatorInitializer(ValidatorConfig config, ServerTlsSource tls, ChannelGroup connections, ConnectionLimiter limiter,
                         InFlightRequests inFlight, ClientHelloParser parser, HandshakeEventFactory handshakeEvents,
                         FailureClassifier classifier, HandshakeMetrics handshakeMetrics, EventSink events,
                         ValidateRequestReader reader, LicenseService service, Supplier<String> jwks,
                         ApiMetrics apiMetrics, RefusalLog refusalLog, Counter requestTimeouts, Clock clock,
                         EventExecutorGroup api, ProxyProtocol proxy) {
        this.config = config;
        this.tls = tls;
        this.connections = connections;
        this.limiter = limiter;
        this.inFlight = inFlight;
        this.parser = parser;
        this.handshakeEvents = handshakeEvents;
        this.classifier = classifier;
        this.handshakeMetrics = handshakeMetrics;
        this.events = events;
        this.reader = reader;
        this.service = service;
        this.jwks = jwks;
        this.apiMetrics = apiMetrics;
        this.refusalLog = refusalLog;
        this.requestTimeouts = requestTimeouts;
        this.clock = clock;
        this.api = api;
        this.proxy = proxy;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // Tracked so that shutdown can close the connections still open after the grace period.
        connections.add(ch);
        HandshakeObservation observation = new HandshakeObservation(clock.instant(), System.nanoTime());
        // The context current now (with its OCSP staple): a rotation swaps it for new connections only.
        SslHandler ssl = tls.newHandler(ch.alloc());
        RequestTimeout requestTimeout = new RequestTimeout(config.requestTimeout(), requestTimeouts);
        ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
        ch.pipeline()
                .addLast("limits", limiter)
                .addLast("handshake-watch", new HandshakeWatch(observation))
                .addLast("client-hello", new ClientHelloCapture(parser, observation))
                .addLast("tls", ssl)
                .addLast("handshake-recorder", new HandshakeRecorder(observation, handshakeEvents, classifier, events,
                        Topics.HANDSHAKES, handshakeMetrics, System::nanoTime))
                .addLast("tls-close", new TlsCloser(handshakeMetrics))
                .addLast("idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("request-start", requestTimeout.firstBytes())
                .addLast("http", new HttpServerCodec(4096, config.maxHeaderBytes(), 8192))
                .addLast("request-end", requestTimeout.completeRequests())
                .addLast("aggregator", new JsonHttpObjectAggregator(config.maxBodyBytes(),
                        () -> apiMetrics.rejected("body_too_large")))
                .addLast("in-flight", inFlight)
                // On the event loop; only validations (a proof verified, a token signed: about a millisecond of CPU)
                // go to the API executor, so that the loops keep handshaking meanwhile.
                .addLast("api", new LicenseApiHandler(reader, service, jwks, events, Topics.LICENSE_CHECKS,
                        apiMetrics, refusalLog, observation::established, api));
        // Behind the limits, in front of all that reads the client's bytes: the header comes before the ClientHello.
        proxy.install(ch.pipeline(), "limits");
    }
}
