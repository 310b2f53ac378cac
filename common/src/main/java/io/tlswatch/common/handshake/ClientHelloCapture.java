package io.tlswatch.common.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.util.concurrent.Future;
import io.tlswatch.common.tls.ClientHelloParser;

/**
 * Sits in front of the TLS engine and keeps what the client offered in its ClientHello, so that a handshake
 * that fails still says which versions, suites and groups the client had. Netty buffers the hello and hands
 * it here; removing this handler then passes the buffered bytes on to the engine unchanged.
 */
public final class ClientHelloCapture extends SslClientHelloHandler<Void> {

    private final ClientHelloParser parser;
    private final HandshakeObservation observation;

    public ClientHelloCapture(ClientHelloParser parser, HandshakeObservation observation) {
        this.parser = parser;
        this.observation = observation;
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
