package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;

import java.util.List;

/**
 * Sits in front of the TLS engine and keeps what the client offered in its ClientHello, so that a handshake
 * that fails still says which versions, suites and groups the client had. Netty buffers the hello and hands
 * it here; removing this handler then passes the buffered bytes on to the engine unchanged.
 *
 * <p>It never hangs up without a word where a TLS peer expects an alert. A hello announcing more than
 * {@value #MAX_HELLO} bytes is not buffered: the bytes go to the engine, which refuses it with the alert its
 * library chooses. A record of another type between the hello's fragments gets {@code unexpected_message}
 * (RFC 8446 §5.1) from here, since the engine never sees such a record: Netty's record reader takes an empty
 * record for something that is not TLS and closes without an alert.
 */
public final class ClientHelloCapture extends SslClientHelloHandler<Void> {

    /** The largest hello body buffered here; both TLS libraries refuse smaller ones already (docs/tls.md). */
    static final int MAX_HELLO = 64 * 1024;
    private static final int UNEXPECTED_MESSAGE = 10;

    private final ClientHelloParser parser;
    private final HandshakeObservation observation;
    private boolean refused;

    public ClientHelloCapture(ClientHelloParser parser, HandshakeObservation observation) {
        super(MAX_HELLO);
        this.parser = parser;
        this.observation = observation;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        ClientHelloFraming.Verdict verdict = ClientHelloFraming.read(in, MAX_HELLO);
        if (verdict instanceof ClientHelloFraming.TooLarge tooLarge) {
            observation.helloTooLarge(tooLarge.declared());
            ctx.pipeline().remove(this);
        } else if (verdict instanceof ClientHelloFraming.Interleaved interleaved) {
            refuse(ctx, in, interleaved);
        } else {
            super.decode(ctx, in, out);
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, ClientHelloFraming.Interleaved interleaved) {
        refused = true;
        in.skipBytes(in.readableBytes());
        ClientHelloRefusedException failure = new ClientHelloRefusedException("sent unexpected_message: a record of"
                + " type " + interleaved.type() + " and " + interleaved.length() + " bytes between the fragments of"
                + " the ClientHello, after " + interleaved.helloBytesSoFar() + " bytes of it (RFC 8446 §5.1)");
        // A plaintext fatal alert, as a TLS engine sends one before the handshake has keys.
        ByteBuf alert = ctx.alloc().buffer(7).writeBytes(new byte[]{21, 3, 3, 0, 2, 2, UNEXPECTED_MESSAGE});
        ctx.writeAndFlush(alert);
        ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(failure));
        ctx.close();
    }

    @Override
    protected Future<Void> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        // Null when the bytes were not a TLS handshake (plain HTTP, SSLv2): the engine then fails the
        // handshake itself, and the recorder reports it as not_tls.
        if (clientHello != null) {
            // The buffer is released when lookup returns: parse a copy, never keep a reference.
            observation.hello(parser.parseHandshakeBody(ByteBufUtil.getBytes(clientHello)));
        }
        return ctx.executor().newSucceededFuture(null);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<Void> future) {
        // Stepping out hands the buffered hello, unchanged, to the TLS engine behind.
        ctx.pipeline().remove(this);
    }
}
