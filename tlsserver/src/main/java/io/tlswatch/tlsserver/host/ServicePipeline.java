package io.tlswatch.tlsserver.host;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.tlsserver.handshake.ClientHelloCapture;
import io.tlswatch.tlsserver.handshake.HandshakeObservation;
import io.tlswatch.tlsserver.handshake.HandshakeRecorder;
import io.tlswatch.tlsserver.handshake.HandshakeWatch;
import io.tlswatch.tlsserver.handshake.TlsCloser;
import io.tlswatch.tlsserver.limits.JsonHttpObjectAggregator;
import io.tlswatch.tlsserver.limits.RequestTimeout;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Builds a connection's pipeline up to the service's handler: limits, then (TLS listeners) the ClientHello
 * capture and handshake watch in front of the TLS engine and the handshake recorder behind it, then HTTP with its
 * limits. The same for every listener of every service, so that each is limited and observed alike.
 */
public final class ServicePipeline {

    private final ListenerParts listener;
    private final HandshakeParts handshakes;

    /** @param handshakes null for a plain HTTP listener */
    public ServicePipeline(ListenerParts listener, HandshakeParts handshakes) {
        this.listener = listener;
        this.handshakes = handshakes;
    }

    /**
     * @param bodyTooLarge counts a request refused for its body's size
     * @param api          the service's handler, given the connection's handshake (null on plain HTTP)
     */
    public void install(SocketChannel ch, Runnable bodyTooLarge, Function<HandshakeObservation, ChannelHandler> api) {
        ServerSettings settings = listener.settings();
        // Tracked so that shutdown can close the connections still open after the grace period.
        listener.connections().add(ch);
        ChannelPipeline pipeline = ch.pipeline().addLast("limits", listener.limiter());
        HandshakeObservation observation = null;
        if (handshakes != null) {
            observation = new HandshakeObservation(listener.clock().instant(), System.nanoTime());
            // Asked per connection, so that a rotated certificate (and its current OCSP staple) is used at once.
            SslHandler ssl = handshakes.source().newHandler(ch.alloc());
            ssl.setHandshakeTimeoutMillis(settings.handshakeTimeout().toMillis());
            pipeline.addLast("handshake-watch", new HandshakeWatch(observation))
                    .addLast("client-hello", new ClientHelloCapture(handshakes.parser(), observation))
                    .addLast("tls", ssl)
                    .addLast("handshake-recorder", new HandshakeRecorder(observation, handshakes.events(),
                            handshakes.classifier(), handshakes.sink(), Topics.HANDSHAKES, handshakes.metrics(),
                            System::nanoTime))
                    .addLast("tls-close", new TlsCloser(handshakes.metrics()));
        }
        RequestTimeout requestTimeout = new RequestTimeout(settings.requestTimeout(), listener.requestTimeouts());
        pipeline.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
                .addLast("request-start", requestTimeout.firstBytes())
                .addLast("http", new HttpServerCodec(4096, settings.maxHeaderBytes(), 8192))
                .addLast("request-end", requestTimeout.completeRequests())
                .addLast("aggregator", new JsonHttpObjectAggregator(settings.maxBodyBytes(), bodyTooLarge))
                .addLast("in-flight", listener.inFlight())
                .addLast("api", api.apply(observation));
        // Behind the limits, in front of all that reads the client's bytes: the header comes before the ClientHello.
        listener.proxy().install(pipeline, "limits");
    }
}
