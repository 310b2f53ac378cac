package io.tlswatch.tlsserver.proxy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tlswatch.tlsserver.handshake.Peer;
import io.tlswatch.tlsserver.limits.ConnectionLimiter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The gate, Netty's decoder and the reader together, as a listener's pipeline holds them. */
class ProxyHeaderGateTest {

    private static final String PROXY = "10.0.0.7";
    private static final byte[] CLIENT_BYTES = {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5};

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** What reached the handler behind the gate: the TLS engine's place in a real pipeline. */
    private static final class Behind extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Peer peer;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            if (peer == null) {
                peer = Peer.of(ctx.channel());
            }
            byte[] copy = new byte[buf.readableBytes()];
            buf.readBytes(copy);
            bytes.writeBytes(copy);
            buf.release();
        }
    }

    private final class Listener {
        final ProxySettings settings;
        final ConnectionLimiter limiter;
        final ProxyProtocol protocol;

        Listener(ProxyMode mode, int maxPerAddress) {
            settings = new ProxySettings(mode, List.of(Cidr.parse("10.0.0.0/24")));
            limiter = new ConnectionLimiter(100, maxPerAddress, "test", registry, settings::awaitsHeader);
            protocol = new ProxyProtocol(settings, limiter, new ProxyMeters(registry, "test"));
        }

        Connection connect(String from) {
            InetSocketAddress remote = new InetSocketAddress(from, 40000);
            EmbeddedChannel channel = new EmbeddedChannel(false, false) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return remote;
                }
            };
            Behind behind = new Behind();
            channel.pipeline().addLast("limits", limiter).addLast("tls", behind);
            protocol.install(channel.pipeline(), "limits");
            try {
                channel.register();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return new Connection(channel, behind);
        }
    }

    private record Connection(EmbeddedChannel channel, Behind behind) {
        /** Each part in a read of its own. */
        void send(byte[]... parts) {
            for (byte[] part : parts) {
                channel.writeInbound(Unpooled.wrappedBuffer(part));
            }
        }

        /** All parts in one read, as a header and the first client bytes often arrive. */
        void sendTogether(byte[]... parts) {
            channel.writeInbound(Unpooled.wrappedBuffer(parts));
        }

        boolean refused() {
            return !channel.isOpen() && Boolean.TRUE.equals(channel.attr(ConnectionLimiter.REFUSED).get());
        }
    }

    /** A v2 PROXY header as HAProxy's send-proxy-v2 writes it for a TCP over IPv4 connection (no TLVs). */
    static byte[] v2Tcp4(String source, int sourcePort, String destination, int destinationPort) {
        ByteBuffer header = ByteBuffer.allocate(28);
        header.put(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        header.put((byte) 0x21).put((byte) 0x11).putShort((short) 12);
        header.put(new InetSocketAddress(source, 0).getAddress().getAddress());
        header.put(new InetSocketAddress(destination, 0).getAddress().getAddress());
        header.putShort((short) sourcePort).putShort((short) destinationPort);
        return header.array();
    }

    /** HAProxy's v2 LOCAL header, as its health checks send it: no addresses. */
    static byte[] v2Local() {
        return new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x20, 0x00, 0x00, 0x00};
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private double count(String outcome) {
        return registry.get("tlswatch.proxy.headers").tag("outcome", outcome).counter().count();
    }

    @Test
    void aTrustedV2HeaderNamesTheClientAndOnlyTheClientsBytesGoOn() {
        // given a listener that requires a header, and its trusted proxy
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        // when the proxy sends the header, then the client's ClientHello
        connection.sendTogether(v2Tcp4("203.0.113.24", 51544, "10.0.0.1", 8443), CLIENT_BYTES);

        // then the engine sees the client's bytes alone, and the connection is the client's, via the proxy
        assertThat(connection.behind().bytes.toByteArray()).isEqualTo(CLIENT_BYTES);
        assertThat(connection.behind().peer.address()).isEqualTo("203.0.113.24");
        assertThat(connection.behind().peer.port()).isEqualTo(51544);
        assertThat(connection.behind().peer.via()).isEqualTo(PROXY);
        assertThat(count("accepted")).isEqualTo(1.0);
        assertThat(connection.channel().attr(ConnectionLimiter.REFUSED).get()).isNull();
        assertThat(connection.channel().pipeline().names()).doesNotContain(ProxyProtocol.HANDLER, "proxy-decoder",
                "proxy-header");
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void aV1TextHeaderWorksToo() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        connection.send(ascii("PROXY TCP6 2001:db8:0:0:0:0:0:24 2001:db8::1 51544 8443\r\n"), CLIENT_BYTES);

        assertThat(connection.behind().bytes.toByteArray()).isEqualTo(CLIENT_BYTES);
        assertThat(connection.behind().peer.address()).isEqualTo("2001:db8::24");
        assertThat(connection.behind().peer.via()).isEqualTo(PROXY);
        assertThat(count("accepted")).isEqualTo(1.0);
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void aHeaderArrivingByteByByteWithTheClientBytesInTheSameReadIsReadWhole() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);
        byte[] header = v2Tcp4("203.0.113.24", 51544, "10.0.0.1", 8443);
        byte[] last = new byte[1 + CLIENT_BYTES.length];
        last[0] = header[header.length - 1];
        System.arraycopy(CLIENT_BYTES, 0, last, 1, CLIENT_BYTES.length);

        for (int i = 0; i < header.length - 1; i++) {
            connection.send(new byte[]{header[i]});
        }
        connection.send(last);

        assertThat(connection.behind().bytes.toByteArray()).isEqualTo(CLIENT_BYTES);
        assertThat(connection.behind().peer.address()).isEqualTo("203.0.113.24");
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void aHeaderFromAnUntrustedPeerIsRefusedAndCounted() {
        // given a client that is no trusted proxy and claims another address
        Connection connection = new Listener(ProxyMode.OPTIONAL, 10).connect("192.0.2.66");

        connection.sendTogether(ascii("PROXY TCP4 198.51.100.1 10.0.0.1 1234 8443\r\n"), CLIENT_BYTES);

        assertThat(connection.refused()).isTrue();
        assertThat(connection.behind().bytes.size()).isZero();
        assertThat(count("untrusted")).isEqualTo(1.0);
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void withoutAHeaderARequiredListenerRefusesAndCounts() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        connection.send(CLIENT_BYTES);

        assertThat(connection.refused()).isTrue();
        assertThat(connection.behind().bytes.size()).isZero();
        assertThat(count("missing")).isEqualTo(1.0);
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void withoutAHeaderAnOptionalListenerPassesADirectClientsBytesUntouched() {
        Connection connection = new Listener(ProxyMode.OPTIONAL, 10).connect("192.0.2.66");

        connection.send(new byte[]{CLIENT_BYTES[0]}, java.util.Arrays.copyOfRange(CLIENT_BYTES, 1, CLIENT_BYTES.length));

        assertThat(connection.behind().bytes.toByteArray()).isEqualTo(CLIENT_BYTES);
        assertThat(connection.behind().peer.address()).isEqualTo("192.0.2.66");
        assertThat(connection.behind().peer.via()).isNull();
        assertThat(count("direct")).isEqualTo(1.0);
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void aMalformedHeaderIsRefusedAndCounted() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        connection.sendTogether(ascii("PROXY TCP4 not-an-address 10.0.0.1 1234 8443\r\n"), CLIENT_BYTES);

        assertThat(connection.refused()).isTrue();
        assertThat(connection.behind().bytes.size()).isZero();
        assertThat(count("malformed")).isEqualTo(1.0);
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void aConnectionThatEndsInsideAHeaderIsCountedMalformedAndNotAsTheClientsHandshake() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        connection.send(ascii("PROXY TCP4 203.0"));
        assertThat(connection.channel().pipeline().names()).as("Netty's decoder first after the limits, before TLS")
                .startsWith("limits", "proxy-decoder", "proxy-header", "tls");
        connection.channel().close();

        assertThat(count("malformed")).isEqualTo(1.0);
        assertThat(connection.channel().attr(ConnectionLimiter.REFUSED).get()).isTrue();
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void aLocalHeaderIsTheProxysOwnHealthCheck() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        connection.send(v2Local(), CLIENT_BYTES);

        assertThat(connection.behind().bytes.toByteArray()).isEqualTo(CLIENT_BYTES);
        assertThat(connection.behind().peer.address()).isEqualTo(PROXY);
        assertThat(connection.behind().peer.via()).isNull();
        assertThat(count("local")).isEqualTo(1.0);
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void anUnknownV1HeaderKeepsTheProxysAddress() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        connection.send(ascii("PROXY UNKNOWN\r\n"), CLIENT_BYTES);

        assertThat(connection.behind().bytes.toByteArray()).isEqualTo(CLIENT_BYTES);
        assertThat(connection.behind().peer.address()).isEqualTo(PROXY);
        assertThat(count("unspecified")).isEqualTo(1.0);
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void thePerAddressLimitCountsTheClientsBehindTheProxyNotTheProxy() {
        // given at most one connection per address
        Listener listener = new Listener(ProxyMode.REQUIRED, 1);
        Connection first = listener.connect(PROXY);
        Connection second = listener.connect(PROXY);
        Connection sameClient = listener.connect(PROXY);

        // when two clients come through the one proxy, and the first of them again
        first.send(v2Tcp4("203.0.113.1", 50001, "10.0.0.1", 8443));
        second.send(v2Tcp4("203.0.113.2", 50002, "10.0.0.1", 8443));
        sameClient.send(v2Tcp4("203.0.113.1", 50003, "10.0.0.1", 8443));

        // then the two clients are served and the repeat is refused under the client's address
        assertThat(first.channel().isOpen()).isTrue();
        assertThat(second.channel().isOpen()).isTrue();
        assertThat(sameClient.refused()).isTrue();
        assertThat(registry.get("tlswatch.connections.refused").tag("limit", "per_address").counter().count())
                .isEqualTo(1.0);
        assertFalse(first.channel().finishAndReleaseAll());
        assertFalse(second.channel().finishAndReleaseAll());
        assertFalse(sameClient.channel().finishAndReleaseAll());
        assertThat(listener.limiter.active()).isZero();
        // and the client's slot is free again once its connection closed
        Connection again = listener.connect(PROXY);
        again.send(v2Tcp4("203.0.113.1", 50004, "10.0.0.1", 8443));
        assertThat(again.channel().isOpen()).isTrue();
        assertFalse(again.channel().finishAndReleaseAll());
    }

    @Test
    void directClientsOfAnOptionalListenerAreStillLimitedByTheirOwnAddressFromTheStart() {
        Listener listener = new Listener(ProxyMode.OPTIONAL, 1);
        Connection first = listener.connect("192.0.2.66");

        Connection second = listener.connect("192.0.2.66");

        assertThat(first.channel().isOpen()).isTrue();
        assertThat(second.refused()).as("refused on connect, before any byte").isTrue();
        assertFalse(first.channel().finishAndReleaseAll());
        assertFalse(second.channel().finishAndReleaseAll());
    }

    @Test
    void everyOutcomeIsRegisteredAtStartWithZero() {
        new Listener(ProxyMode.OFF, 10);

        for (ProxyOutcome outcome : ProxyOutcome.values()) {
            assertThat(count(outcome.tag())).isZero();
        }
    }

    @Test
    void theGateSitsRightBehindTheLimitsInFrontOfEverythingThatReadsTheClientsBytes() {
        Connection connection = new Listener(ProxyMode.REQUIRED, 10).connect(PROXY);

        assertThat(connection.channel().pipeline().names()).startsWith("limits", ProxyProtocol.HANDLER, "tls");
        assertFalse(connection.channel().finishAndReleaseAll());
    }

    @Test
    void offInstallsNothing() {
        Connection connection = new Listener(ProxyMode.OFF, 10).connect(PROXY);

        connection.send(ascii("PROXY TCP4 203.0.113.24 10.0.0.1 1234 8443\r\n"));

        assertThat(connection.channel().pipeline().names()).doesNotContain(ProxyProtocol.HANDLER);
        assertThat(connection.behind().peer.address()).isEqualTo(PROXY);
        assertFalse(connection.channel().finishAndReleaseAll());
    }
}
