package io.tlswatch.tlsserver.proxy;

import io.netty.buffer.ByteBuf;

/**
 * Whether a connection's first bytes begin a PROXY header: the v1 text signature {@code PROXY} or the v2 binary
 * one (HAProxy's proxy-protocol.txt, sections 2.1 and 2.2). Decided at the first byte that matches neither, so a
 * client that sends a few bytes and waits (a TLS ClientHello starts with 0x16, an HTTP method is not
 * {@code PROXY}) is never held back.
 */
public enum HeaderStart {
    /** Too few bytes yet to tell. */
    NEED_MORE,
    /** A PROXY header, v1 or v2: the decoder reads it. */
    HEADER,
    /** Not a PROXY header: the client's own first bytes. */
    NONE;

    private static final byte[] V1 = {'P', 'R', 'O', 'X', 'Y'};
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    public static HeaderStart of(ByteBuf in) {
        HeaderStart v1 = match(in, V1);
        return v1 != NONE ? v1 : match(in, V2);
    }

    private static HeaderStart match(ByteBuf in, byte[] signature) {
        int readable = Math.min(in.readableBytes(), signature.length);
        for (int i = 0; i < readable; i++) {
            if (in.getByte(in.readerIndex() + i) != signature[i]) {
                return NONE;
            }
        }
        return readable == signature.length ? HEADER : NEED_MORE;
    }
}
