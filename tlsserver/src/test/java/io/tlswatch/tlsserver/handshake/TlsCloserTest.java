package io.tlswatch.tlsserver.handshake;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.tlswatch.contract.event.TlsProvider;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class TlsCloserTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HandshakeMetrics metrics = new HandshakeMetrics(registry, TlsProvider.JDK);
    private final List<Throwable> passedOn = new ArrayList<>();
    private boolean engineReadFailed;

    private EmbeddedChannel channel() {
        Predicate<SSLEngine> readFailed = engine -> engineReadFailed;
        return new EmbeddedChannel(new TlsCloser(metrics, readFailed), new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                passedOn.add(cause);
            }
        });
    }

    private double closes(String reason) {
        return registry.get("tlswatch.tls.closes").tag("reason", reason).counter().count();
    }

    @Test
    void everyReasonIsCountedFromZero() {
        assertThat(registry.get("tlswatch.tls.closes").counters()).hasSize(TlsCloseReason.values().length)
                .allMatch(counter -> counter.count() == 0);
    }

    @Test
    void theClientsCloseNotifyClosesTheChannelAndIsCounted() {
        // given an established connection
        EmbeddedChannel channel = channel();
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);

        // when the engine has read the client's close_notify
        channel.pipeline().fireUserEventTriggered(SslCloseCompletionEvent.SUCCESS);

        // then
        assertThat(channel.isOpen()).isFalse();
        assertThat(closes("close_notify")).isEqualTo(1.0);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aTlsFailureAfterTheHandshakeClosesTheChannelIsCountedAndGoesNoFurther() {
        // given an established connection
        EmbeddedChannel channel = channel();
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);

        // when the engine fails a corrupted record (after writing its alert)
        channel.pipeline().fireExceptionCaught(new DecoderException(new SSLException("bad_record_mac")));

        // then
        assertThat(channel.isOpen()).isFalse();
        assertThat(closes("fatal_alert")).isEqualTo(1.0);
        assertThat(passedOn).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anEngineWhoseReadSideFailedIsClosedAfterTheRead() throws Exception {
        // given an established connection behind a TLS engine
        SelfSignedCertificate certificate = new SelfSignedCertificate();
        SslHandler ssl = SslContextBuilder.forServer(certificate.key(), certificate.cert()).sslProvider(SslProvider.JDK)
                .build().newHandler(io.netty.buffer.ByteBufAllocator.DEFAULT);
        EmbeddedChannel channel = channel();
        channel.pipeline().addFirst("tls", ssl);
        channel.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        channel.pipeline().fireChannelReadComplete();
        assertThat(channel.isOpen()).isTrue();

        // when a read leaves the engine's read side failed (what BoringSSL does after sending its alert)
        engineReadFailed = true;
        channel.pipeline().fireChannelReadComplete();

        // then
        assertThat(channel.isOpen()).isFalse();
        assertThat(closes("fatal_alert")).isEqualTo(1.0);
        // (what the engine wrote on closing is its own business here)
        channel.releaseOutbound();
        assertFalse(channel.finishAndReleaseAll());
        certificate.delete();
    }

    @Test
    void aClientHelloRefusedByThePreParserIsCounted() {
        EmbeddedChannel channel = channel();

        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(
                new ClientHelloRefusedException("sent unexpected_message")));

        assertThat(closes("client_hello_alert")).isEqualTo(1.0);
        assertThat(channel.isOpen()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aFailedHandshakeAndOtherErrorsAreLeftAlone() {
        // given a handshake that failed the ordinary way
        EmbeddedChannel channel = channel();
        channel.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLException("no shared cipher")));

        // when a later error arrives
        IOException reset = new IOException("Connection reset by peer");
        channel.pipeline().fireExceptionCaught(reset);

        // then this handler neither closes nor counts, and passes the error on
        assertThat(channel.isOpen()).isTrue();
        assertThat(passedOn).containsExactly(reset);
        assertThat(registry.get("tlswatch.tls.closes").counters()).allMatch(counter -> counter.count() == 0);
        assertFalse(channel.finishAndReleaseAll());
    }
}
