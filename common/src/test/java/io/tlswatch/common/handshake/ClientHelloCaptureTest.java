package io.tlswatch.common.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tlswatch.common.tls.ClientHello;
import io.tlswatch.common.tls.ClientHelloParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ClientHelloCaptureTest {

    private final HandshakeObservation observation = new HandshakeObservation(Instant.now(), System.nanoTime());

    @Test
    void keepsWhatTheClientOfferedAndPassesTheBytesOnUnchanged() throws IOException {
        // given a real curl ClientHello
        byte[] hello = capture("curl-7.88-openssl-3.0-sni");
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHelloCapture(new ClientHelloParser(), observation));

        // when it arrives
        channel.writeInbound(Unpooled.wrappedBuffer(hello));

        // then it was parsed and kept
        ClientHello parsed = observation.hello().hello().orElseThrow();
        assertThat(parsed.sni()).isNotBlank();
        assertThat(parsed.highestOfferedVersionName()).isEqualTo("TLSv1.3");
        // and the TLS engine behind still gets every byte, and the capture has stepped out
        ByteBuf forwarded = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(forwarded)).isEqualTo(hello);
        forwarded.release();
        assertThat(channel.pipeline().get(ClientHelloCapture.class)).isNull();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void plainHttpLeavesNoHelloAndIsPassedOnForTheEngineToRefuse() {
        // given
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHelloCapture(new ClientHelloParser(), observation));

        // when
        channel.writeInbound(Unpooled.wrappedBuffer(http));

        // then
        assertThat(observation.hello()).isNull();
        ByteBuf forwarded = channel.readInbound();
        assertThat(forwarded.toString(StandardCharsets.US_ASCII)).startsWith("GET / HTTP/1.1");
        forwarded.release();
        assertFalse(channel.finishAndReleaseAll());
    }

    static byte[] capture(String name) throws IOException {
        try (InputStream in = ClientHelloCaptureTest.class.getResourceAsStream("/clienthello/" + name + ".hex")) {
            assertThat(in).as(name).isNotNull();
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        }
    }
}
