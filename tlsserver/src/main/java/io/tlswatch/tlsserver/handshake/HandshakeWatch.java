package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.tlswatch.tlsserver.classify.OpeningBytes;

/**
 * First in front of the TLS engine until the handshake ends: notes whether the first bytes were TLS at all,
 * scans what the client sends for a plaintext alert, notes a client that hangs up, and notes the alert the
 * engine writes when it refuses the handshake. The recorder behind
 * the engine reads these to tell the failure reasons apart, then removes this handler.
 */
public final class HandshakeWatch extends ChannelDuplexHandler {

    /** A TLS record of type handshake. */
    private static final int HANDSHAKE_RECORD = 22;

    private final HandshakeObservation observation;

    public HandshakeWatch(HandshakeObservation observation) {
        this.observation = observation;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            if (observation.firstBytes() == OpeningBytes.NONE) {
                int first = buf.getUnsignedByte(buf.readerIndex());
                // An SSLv2-format hello starts with the high bit set: old, but TLS as far as this is concerned.
                observation.firstBytes(first == HANDSHAKE_RECORD || (first & 0x80) != 0 ? OpeningBytes.TLS : OpeningBytes.NOT_TLS);
            }
            observation.alerts().scan(buf.nioBuffer());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (observation.serverAlert() < 0 && msg instanceof ByteBuf buf) {
            ServerAlertRecords.find(buf).ifPresent(observation::serverAlert);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        observation.peerClosed(true);
        ctx.fireChannelInactive();
    }
}
