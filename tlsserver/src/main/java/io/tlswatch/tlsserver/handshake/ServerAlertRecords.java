package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.ByteBuf;

import java.util.OptionalInt;

/**
 * Finds a plaintext alert among the records the TLS engine writes during the handshake: the alert the server
 * sent, whichever library chose it, for the handshake event. The engine writes whole records; an alert in the
 * clear is a record of type 21 with a two-byte body. An encrypted alert (TLS 1.3 after the ServerHello, TLS 1.2
 * after ChangeCipherSpec) is longer, or hidden in an application_data record, and is not reported.
 */
public final class ServerAlertRecords {

    private static final int ALERT = 21;
    private static final int HEADER = 5;

    private ServerAlertRecords() {
    }

    /** The description of the first plaintext alert in {@code written}, read without consuming it. */
    public static OptionalInt find(ByteBuf written) {
        int index = written.readerIndex();
        int end = written.writerIndex();
        while (end - index >= HEADER) {
            int type = written.getUnsignedByte(index);
            int length = written.getUnsignedShort(index + 3);
            if (type == ALERT && length == 2 && end - index >= HEADER + 2) {
                return OptionalInt.of(written.getUnsignedByte(index + HEADER + 1));
            }
            if (type < 20 || type > 24) {
                break;
            }
            index += HEADER + length;
        }
        return OptionalInt.empty();
    }
}
