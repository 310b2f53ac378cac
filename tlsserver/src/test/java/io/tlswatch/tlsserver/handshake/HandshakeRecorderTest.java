package io.tlswatch.tlsserver.handshake;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.NetUtil;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import io.tlswatch.tlsserver.proxy.ProxiedPeer;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.tlsserver.testing.RawTlsClient;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.classify.FailureVerdict;
import io.tlswatch.tlsserver.classify.FailureEvidence;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HandshakeRecorderTest {

    private final List<Event> published = new ArrayList<>();
    private final EventSink sink = new EventSink() {
        @Override
        public <V extends Event> boolean publish(Topic<String, V> topic, V event) {
            assertThat(topic).isSameAs(Topics.HANDSHAKES);
            return published.add(event);
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<FailureEvidence> seen = new ArrayList<>();
    private final long start = 1_000_000_000L;
    private final HandshakeObservation observation = new HandshakeObservation(Instant.parse("2026-11-29T10:00:00Z"), start);

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new HandshakeRecorder(observation,
                new HandshakeEventFactory("validator@test", "validator", TlsProvider.JDK),
                failure -> {
                    seen.add(failure);
                    return new FailureVerdict(FailureReason.PROTOCOL_VERSION, failure.error().getMessage());
                },
                sink, Topics.HANDSHAKES, new HandshakeMetrics(registry, TlsProvider.JDK), () -> start + 2_500_000L));
    }

    @Test
    void theAlertTheServerSentIsAddedToTheMessage() {
        // given the engine wrote a decode_error (50) in the clear
        observation.serverAlert(50);
        EmbeddedChannel channel = channel();

        // when it reports the failure
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SSLHandshakeException("error:10000095:SSL routines:OPENSSL_internal:ERROR_PARSING_EXTENSION")));

        // then the event says what the client was told
        HandshakeEvent event = (HandshakeEvent) published.get(0);
        assertThat(event.failureMessage()).isEqualTo(
                "error:10000095:SSL routines:OPENSSL_internal:ERROR_PARSING_EXTENSION (server sent decode_error)");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void failedHandshakeBecomesOneEventWithWhatTheClientOffered() throws IOException {
        // given a TLS 1.0-only JDK client's hello was captured
        observation.hello(new ClientHelloParser().parseRecords(ClientHelloCaptureTest.capture("jdk17-tls1-only")));
        EmbeddedChannel channel = channel();

        // when the engine reports the failure
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SSLHandshakeException("The client supported protocol versions [TLSv1] are not accepted")));

        // then one event, classified, with the offer and the duration
        assertThat(published).hasSize(1);
        HandshakeEvent event = (HandshakeEvent) published.get(0);
        assertThat(event.failureReason()).isEqualTo(FailureReason.PROTOCOL_VERSION);
        assertThat(event.failureMessage()).contains("TLSv1");
        assertThat(event.clientHello().highestOfferedVersion()).isEqualTo("TLSv1");
        assertThat(event.clientHello().ja4()).startsWith("t10");
        assertThat(event.durationMillis()).isEqualTo(2.5);
        assertThat(event.time()).isEqualTo(Instant.parse("2026-11-29T10:00:00.002Z"));
        assertThat(event.source()).isEqualTo("validator@test");
        // and the classifier was given the client's offer
        assertThat(seen.get(0).offer().versions()).containsExactly("TLSv1");
        // and the meters count it by reason and offered version
        assertThat(registry.get("tlswatch.handshakes").tag("outcome", "failure").tag("reason", "protocol_version")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get("tlswatch.handshakes.offered").tag("highest_version", "TLSv1").counter().count())
                .isEqualTo(1.0);
        // and the recorder has left the pipeline
        assertThat(channel.pipeline().get(HandshakeRecorder.class)).isNull();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aHelloCutShortByAMalformedExtensionIsInTheEventMarkedPartialAndNotJudged() throws IOException {
        // given a JDK 17 hello whose signature_algorithms extension overruns, as conformance suites send it
        byte[] hello = RawTlsClient.malformedSignatureAlgorithms(ClientHelloCaptureTest.capture("jdk17-httpsurlconnection"));
        observation.hello(new ClientHelloParser().parseRecords(hello));
        EmbeddedChannel channel = channel();

        // when the engine refuses it
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new SSLHandshakeException("error:10000095:SSL routines:OPENSSL_internal:ERROR_PARSING_EXTENSION")));

        // then the event carries the hello as far as it was read, marked, without fingerprints
        HandshakeEvent event = (HandshakeEvent) published.get(0);
        assertThat(event.clientHello().partial()).isTrue();
        assertThat(event.clientHello().failedExtension()).isEqualTo("signature_algorithms");
        assertThat(event.clientHello().cipherSuites()).contains("TLS_AES_128_GCM_SHA256");
        assertThat(event.clientHello().ja4()).isNull();
        // and the classifier is not asked to judge an offer it only saw part of
        assertThat(seen.get(0).offer()).isNull();
        // and the offered-version meter counts it as unknown
        assertThat(registry.get("tlswatch.handshakes.offered").tag("highest_version", "other").counter().count())
                .isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void failureWithoutAnyHelloStillCounts() {
        // given nothing TLS-like arrived
        EmbeddedChannel channel = channel();

        // when
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("x")));

        // then
        HandshakeEvent event = (HandshakeEvent) published.get(0);
        assertThat(event.clientHello()).isNull();
        assertThat(registry.get("tlswatch.handshakes.offered").tag("highest_version", "none").counter().count())
                .isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aConnectionAProxyNamedTheClientOfIsRecordedAsTheClientsWithTheProxyAsVia() {
        // given a trusted proxy's PROXY header named the client of this connection
        EmbeddedChannel channel = channel();
        channel.attr(ProxiedPeer.KEY).set(new ProxiedPeer("203.0.113.24", 51544, "10.0.4.17",
                NetUtil.createInetAddressFromIpAddressString("203.0.113.24")));

        // when its handshake ends
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("x")));

        // then the event is the client's, keyed by its address, with the proxy beside it
        HandshakeEvent event = (HandshakeEvent) published.get(0);
        assertThat(event.remoteAddress()).isEqualTo("203.0.113.24");
        assertThat(event.remotePort()).isEqualTo(51544);
        assertThat(event.via()).isEqualTo("10.0.4.17");
        assertThat(event.key()).isEqualTo("203.0.113.24");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aConnectionRefusedBeforeTlsIsNoClientsHandshake() {
        // given the connection was refused for its limits or its PROXY header
        EmbeddedChannel channel = channel();
        channel.attr(ConnectionLimiter.REFUSED).set(true);

        // when the engine reports the handshake failed as the connection closed
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("x")));

        // then nothing is published or counted
        assertThat(published).isEmpty();
        assertThat(registry.find("tlswatch.handshakes").counters()).allMatch(c -> c.count() == 0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void otherUserEventsPassThroughUntouched() {
        EmbeddedChannel channel = channel();

        channel.pipeline().fireUserEventTriggered("something else");

        assertThat(published).isEmpty();
        assertThat(channel.pipeline().get(HandshakeRecorder.class)).isNotNull();
        assertFalse(channel.finishAndReleaseAll());
    }
}
