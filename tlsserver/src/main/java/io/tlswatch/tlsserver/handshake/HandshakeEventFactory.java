package io.tlswatch.tlsserver.handshake;

import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.NegotiatedTls;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.tlsserver.classify.FailureVerdict;

import java.time.Duration;

/** Builds the {@code tlswatch.handshake/1} event of one connection from what was observed. */
public final class HandshakeEventFactory {

    private final String source;
    private final String listener;
    private final TlsProvider provider;

    /**
     * @param source   this node, {@code validator@<host>}
     * @param listener the listener's name, {@code validator} (the collector's TLS listener says its own)
     */
    public HandshakeEventFactory(String source, String listener, TlsProvider provider) {
        this.source = source;
        this.listener = listener;
        this.provider = provider;
    }

    public HandshakeEvent success(HandshakeObservation observation, Peer peer,
                                  NegotiatedTls negotiated, long endNanos) {
        return base(observation, peer, endNanos).success(negotiated).build();
    }

    public HandshakeEvent failure(HandshakeObservation observation, Peer peer,
                                  FailureVerdict failure, long endNanos) {
        return base(observation, peer, endNanos).failure(failure.reason(), failure.message()).build();
    }

    private HandshakeEvent.Builder base(HandshakeObservation observation, Peer peer,
                                        long endNanos) {
        Duration took = Duration.ofNanos(Math.max(0, endNanos - observation.startedNanos()));
        return HandshakeEvent.builder()
                .time(observation.started().plus(took))
                .source(source)
                .remote(peer.address(), peer.port())
                .via(peer.via())
                .listener(listener, peer.localPort())
                .tlsProvider(provider)
                .durationMillis(took.toNanos() / 1_000_000.0)
                .clientHello(observation.summary());
    }
}
