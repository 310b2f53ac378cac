package io.tlswatch.tlsserver.handshake;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.NegotiatedTls;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.tlsserver.classify.ClientOffer;
import io.tlswatch.tlsserver.classify.FailureVerdict;
import io.tlswatch.tlsserver.classify.FailureEvidence;
import io.tlswatch.tlsserver.classify.TlsAlertNames;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.tlsserver.classify.FailureClassifier;

import java.security.cert.X509Certificate;
import java.util.function.LongSupplier;

/**
 * Behind the TLS engine: when the handshake ends, either way, emits one handshake event and records the
 * meters, then steps out of the pipeline. Publishing never blocks: the publisher only buffers.
 */
public final class HandshakeRecorder extends ChannelInboundHandlerAdapter {

    private final HandshakeObservation observation;
    private final HandshakeEventFactory events;
    private final FailureClassifier classifier;
    private final EventSink publisher;
    private final Topic<String, HandshakeEvent> topic;
    private final HandshakeMetrics metrics;
    private final LongSupplier nanoTime;

    public HandshakeRecorder(HandshakeObservation observation, HandshakeEventFactory events,
                             FailureClassifier classifier, EventSink publisher,
                             Topic<String, HandshakeEvent> topic, HandshakeMetrics metrics, LongSupplier nanoTime) {
        this.observation = observation;
        this.events = events;
        this.classifier = classifier;
        this.publisher = publisher;
        this.topic = topic;
        this.metrics = metrics;
        this.nanoTime = nanoTime;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent completion) {
            // A connection the server refused (a connection limit) is counted there, not as a client's handshake.
            if (!Boolean.TRUE.equals(ctx.channel().attr(ConnectionLimiter.REFUSED).get())) {
                HandshakeEvent event = toEvent(ctx, completion);
                metrics.record(event);
                publisher.publish(topic, event);
            }
            HandshakeWatch watch = ctx.pipeline().get(HandshakeWatch.class);
            if (watch != null) {
                ctx.pipeline().remove(watch);
            }
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    private HandshakeEvent toEvent(ChannelHandlerContext ctx, SslHandshakeCompletionEvent completion) {
        Peer peer = Peer.of(ctx.channel());
        long end = nanoTime.getAsLong();
        if (completion.isSuccess()) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            X509Certificate clientCertificate = SessionFacts.peerCertificate(ssl.engine());
            NegotiatedTls negotiated = SessionFacts.negotiated(ssl.engine(), ssl.applicationProtocol(),
                    observation.started(), clientCertificate);
            observation.established(new Established(negotiated.protocol(), negotiated.cipherSuite(),
                    clientCertificate, observation.summary() == null ? null : observation.summary().ja4()));
            return events.success(observation, peer, negotiated, end);
        }
        Throwable cause = completion.cause();
        FailureVerdict failure = classifier.classify(new FailureEvidence(cause,
                observation.firstBytes(), cause instanceof SslHandshakeTimeoutException, observation.peerClosed(),
                offer(), observation.alerts().alert().isPresent() ? observation.alerts().alert().getAsInt() : null));
        if (observation.helloTooLarge() > 0) {
            // The engine's words (BoringSSL: EXCESSIVE_MESSAGE_SIZE) do not say which message was too large.
            failure = new FailureVerdict(failure.reason(), "ClientHello of " + observation.helloTooLarge()
                    + " bytes, above the " + ClientHelloCapture.MAX_HELLO + " read before the engine: "
                    + failure.message());
        }
        if (observation.serverAlert() >= 0) {
            // What the client was told, whichever library chose it: the provider's error text rarely names it.
            failure = new FailureVerdict(failure.reason(), failure.message() + " (server sent "
                    + TlsAlertNames.name(observation.serverAlert()) + ")");
        }
        return events.failure(observation, peer, failure, end);
    }

    private ClientOffer offer() {
        ClientHelloSummary summary = observation.summary();
        // A partial hello lacks the extensions after the bad one: judging versions or groups from it would guess.
        return summary == null || summary.incomplete() ? null : ClientOffer.of(summary);
    }
}
