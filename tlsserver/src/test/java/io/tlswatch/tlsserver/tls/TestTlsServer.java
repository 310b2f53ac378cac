package io.tlswatch.tlsserver.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.clienthello.ClientHelloSummaries;
import io.tlswatch.tlsserver.clienthello.ParseError;
import io.tlswatch.tlsserver.clienthello.ParseResult;
import io.tlswatch.tlsserver.classify.OpeningBytes;
import io.tlswatch.tlsserver.classify.FailureEvidence;
import io.tlswatch.tlsserver.classify.ClientOffer;
import io.tlswatch.tlsserver.classify.ClientAlertScanner;

import javax.net.ssl.SSLSession;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal real TLS server for tests: one {@link SslHandler} from the context under test, a handler in front
 * of it that notes what the first bytes looked like and whether the client closed first (as the validator's
 * pipeline does), and one recorded {@link Outcome} per connection.
 */
final class TestTlsServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;
    private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

    private TestTlsServer(ServerTlsContext context, Duration handshakeTimeout) throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = context.sslContext().newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(handshakeTimeout.toMillis());
                        Probe probe = new Probe();
                        ch.pipeline().addLast(probe, ssl, new Recorder(probe, ssl));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static TestTlsServer start(ServerTlsContext context, Duration handshakeTimeout) throws InterruptedException {
        return new TestTlsServer(context, handshakeTimeout);
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The next connection's outcome. */
    Outcome next() throws InterruptedException {
        Outcome outcome = outcomes.poll(15, TimeUnit.SECONDS);
        if (outcome == null) {
            throw new AssertionError("no handshake outcome within 15 s");
        }
        return outcome;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One connection's handshake as the server saw it. */
    record Outcome(boolean success, Throwable cause, OpeningBytes firstBytes, boolean peerClosed,
                   ClientOffer offer, Integer clientAlert, String protocol, String cipherSuite) {

        FailureEvidence failure() {
            return new FailureEvidence(cause, firstBytes, false, peerClosed, offer, clientAlert);
        }

        /** The same failure without the ClientHello and the alert: what the provider's error alone tells. */
        FailureEvidence failureFromErrorOnly() {
            return new FailureEvidence(cause, firstBytes, false, peerClosed, null, null);
        }
    }

    /** Sits before the SslHandler: sees the raw bytes and the close before TLS does. */
    private static final class Probe extends ChannelInboundHandlerAdapter {
        private final ClientAlertScanner alerts = new ClientAlertScanner();
        private final ByteArrayOutputStream hello = new ByteArrayOutputStream();
        private OpeningBytes firstBytes = OpeningBytes.NONE;
        private ClientOffer offer;
        private boolean helloDone;
        private boolean peerClosed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf buf && buf.isReadable()) {
                if (firstBytes == OpeningBytes.NONE) {
                    // 22 = handshake record; an SSLv2-format hello starts with the high bit set.
                    int first = buf.getUnsignedByte(buf.readerIndex());
                    firstBytes = first == 22 || (first & 0x80) != 0
                            ? OpeningBytes.TLS : OpeningBytes.NOT_TLS;
                }
                alerts.scan(buf.nioBuffer());
                readHello(buf);
            }
            ctx.fireChannelRead(msg);
        }

        private void readHello(ByteBuf buf) {
            if (helloDone) {
                return;
            }
            byte[] bytes = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), bytes);
            hello.writeBytes(bytes);
            ParseResult result = new ClientHelloParser().parseRecords(hello.toByteArray());
            if (result instanceof ParseResult.Parsed parsed) {
                offer = ClientOffer.of(ClientHelloSummaries.of(parsed.clientHello()));
                helloDone = true;
            } else if (((ParseResult.Failed) result).error() != ParseError.TRUNCATED
                    || hello.size() > ClientHelloParser.DEFAULT_MAX_HELLO_LENGTH + 1024) {
                helloDone = true;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            peerClosed = true;
            ctx.fireChannelInactive();
        }
    }

    private final class Recorder extends ChannelInboundHandlerAdapter {
        private final Probe probe;
        private final SslHandler ssl;

        Recorder(Probe probe, SslHandler ssl) {
            this.probe = probe;
            this.ssl = ssl;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent completion) {
                if (completion.isSuccess()) {
                    SSLSession session = ssl.engine().getSession();
                    outcomes.add(new Outcome(true, null, probe.firstBytes, false, probe.offer, null,
                            session.getProtocol(), session.getCipherSuite()));
                } else {
                    Integer alert = probe.alerts.alert().isPresent() ? probe.alerts.alert().getAsInt() : null;
                    outcomes.add(new Outcome(false, completion.cause(), probe.firstBytes, probe.peerClosed,
                            probe.offer, alert, null, null));
                }
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // Expected in these tests: the outcome is recorded from the handshake event.
            ctx.close();
        }
    }
}
