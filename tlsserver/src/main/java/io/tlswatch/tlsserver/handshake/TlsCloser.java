package io.tlswatch.tlsserver.handshake;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Behind the TLS engine for the life of the connection: closes it as soon as the engine has answered the
 * client's close_notify or sent a fatal alert after the handshake, and counts why. The decision is
 * {@link TlsCloseDecision}'s; closing through the pipeline lets the SslHandler flush what it wrote (the alert,
 * its own close_notify) before the TCP close.
 */
public final class TlsCloser extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(TlsCloser.class);

    private final TlsCloseDecision decision = new TlsCloseDecision();
    private final TlsCloseCounter closes;
    private final Predicate<SSLEngine> readFailed;

    /** With the production check of the engine, {@link EngineReadState#readFailed}. */
    public TlsCloser(TlsCloseCounter closes) {
        this(closes, EngineReadState::readFailed);
    }

    TlsCloser(TlsCloseCounter closes, Predicate<SSLEngine> readFailed) {
        this.closes = closes;
        this.readFailed = readFailed;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                decision.established();
            } else {
                close(ctx, decision.handshakeFailed(completion.cause()));
            }
        } else if (evt instanceof SslCloseCompletionEvent closed) {
            close(ctx, decision.inboundClosed(closed.cause(), ctx.channel().isActive()));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        SslHandler ssl = decision.wantsEngineCheck() ? ctx.pipeline().get(SslHandler.class) : null;
        if (ssl != null) {
            close(ctx, decision.readComplete(readFailed.test(ssl.engine())));
        }
        super.channelReadComplete(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (decision.handles(cause)) {
            // Expected of a client that sends garbage: the alert says it, no stack trace.
            LOG.debug("{} closed after a fatal TLS alert: {}", ctx.channel(), cause.getMessage());
            close(ctx, decision.exception(cause));
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    private void close(ChannelHandlerContext ctx, Optional<TlsCloseReason> reason) {
        reason.ifPresent(r -> {
            closes.closed(r);
            ctx.close();
        });
    }
}
