package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.tlswatch.tlsserver.clienthello.ClientHello;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void aHelloAnnouncingMoreThanItBuffersIsHandedToTheEngineUnread() {
        // given the first record (2^14 bytes) of a ClientHello announcing 70 KiB
        byte[] message = new byte[16_384];
        message[0] = 1;
        message[1] = 0x01;
        message[2] = 0x18;
        byte[] record = record(22, message);
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHelloCapture(new ClientHelloParser(), observation));

        // when it arrives
        channel.writeInbound(Unpooled.wrappedBuffer(record));

        // then the capture has stepped out, the engine behind gets the bytes to refuse with its own alert,
        // and the announced length is kept for the event
        ByteBuf forwarded = channel.readInbound();
        assertThat(ByteBufUtil.getBytes(forwarded)).isEqualTo(record);
        forwarded.release();
        assertThat(channel.pipeline().get(ClientHelloCapture.class)).isNull();
        assertThat(observation.helloTooLarge()).isEqualTo(0x011800);
        assertThat(channel.isOpen()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void anEmptyApplicationDataRecordBetweenHelloFragmentsGetsUnexpectedMessageAndAFailedHandshake()
            throws IOException {
        // given a real hello cut in two records with an empty application_data record between
        byte[] hello = capture("curl-7.88-openssl-3.0-sni");
        byte[] body = java.util.Arrays.copyOfRange(hello, 5, hello.length);
        List<Object> events = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ClientHelloCapture(new ClientHelloParser(), observation),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });

        // when it arrives
        channel.writeInbound(Unpooled.wrappedBuffer(record(22, java.util.Arrays.copyOf(body, 100)),
                record(23, new byte[0]), record(22, java.util.Arrays.copyOfRange(body, 100, body.length))));

        // then a fatal unexpected_message alert goes out in the clear and the channel is closed
        ByteBuf alert = channel.readOutbound();
        assertThat(ByteBufUtil.getBytes(alert)).containsExactly(21, 3, 3, 0, 2, 2, 10);
        alert.release();
        assertThat(channel.isOpen()).isFalse();
        // and the handshake is reported failed, saying what was refused; nothing reaches the engine
        assertThat(events).singleElement().isInstanceOfSatisfying(SslHandshakeCompletionEvent.class, completion ->
                assertThat(completion.cause()).isInstanceOf(ClientHelloRefusedException.class)
                        .hasMessageContaining("unexpected_message").hasMessageContaining("type 23 and 0 bytes"));
        assertThat((Object) channel.readInbound()).isNull();
        assertFalse(channel.finishAndReleaseAll());
    }

    private static byte[] record(int type, byte[] body) {
        byte[] record = new byte[5 + body.length];
        record[0] = (byte) type;
        record[1] = 3;
        record[2] = 1;
        record[3] = (byte) (body.length >>> 8);
        record[4] = (byte) body.length;
        System.arraycopy(body, 0, record, 5, body.length);
        return record;
    }

    static byte[] capture(String name) throws IOException {
        try (InputStream in = ClientHelloCaptureTest.class.getResourceAsStream("/clienthello/" + name + ".hex")) {
            assertThat(in).as(name).isNotNull();
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        }
    }
}
