package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tlswatch.tlsserver.classify.OpeningBytes;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class HandshakeWatchTest {

    private final HandshakeObservation observation = new HandshakeObservation(Instant.now(), System.nanoTime());
    private final EmbeddedChannel channel = new EmbeddedChannel(new HandshakeWatch(observation));

    @Test
    void tlsRecordIsSeenAsTlsAndAPlaintextAlertIsFound() {
        // given a handshake record, then a fatal alert (21) unknown_ca (48) in the clear
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{22, 3, 1, 0, 1, 1}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[]{21, 3, 3, 0, 2, 2, 48}));

        // then
        assertThat(observation.firstBytes()).isEqualTo(OpeningBytes.TLS);
        assertThat(observation.alerts().alert()).hasValue(48);
        releaseForwarded(2);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void theAlertTheEngineWritesInTheClearIsNoted() {
        // when the engine refuses the hello with a fatal decode_error (50)
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[]{21, 3, 3, 0, 2, 2, 50}));

        // then it is noted, and the bytes go out unchanged
        assertThat(observation.serverAlert()).isEqualTo(50);
        ByteBuf written = channel.readOutbound();
        assertThat(written.readableBytes()).isEqualTo(7);
        written.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void plainHttpIsSeenAsNotTls() {
        channel.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));

        assertThat(observation.firstBytes()).isEqualTo(OpeningBytes.NOT_TLS);
        releaseForwarded(1);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aClientHangingUpIsNoted() {
        assertThat(observation.peerClosed()).isFalse();

        channel.close();

        assertThat(observation.peerClosed()).isTrue();
        assertThat(observation.firstBytes()).isEqualTo(OpeningBytes.NONE);
        assertFalse(channel.finishAndReleaseAll());
    }

    private void releaseForwarded(int expected) {
        for (int i = 0; i < expected; i++) {
            ByteBuf forwarded = channel.readInbound();
            assertThat(forwarded).as("forwarded buffer %d", i).isNotNull();
            forwarded.release();
        }
    }
}
