package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.ByteBuf;

/**
 * Reads the TLS record framing of what a client has sent so far, without consuming it, and says whether the
 * ClientHello pre-parser may go on buffering it or must hand over: a hello that announces more than the
 * pre-parser buffers, or a record of another type between the hello's fragments (RFC 8446 §5.1: handshake
 * messages must not be interleaved with other record types, and the answer is {@code unexpected_message}).
 * Anything else (not TLS, an SSLv2-format hello, a complete hello) is left to Netty's pre-parser and the engine.
 */
public final class ClientHelloFraming {

    static final int RECORD_HEADER = 5;
    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;

    private ClientHelloFraming() {
    }

    /** What the bytes so far call for. */
    public sealed interface Verdict {
    }

    /** Nothing to decide yet, or nothing for this class to decide. */
    public record Continue() implements Verdict {
    }

    /** The hello announces {@code declared} bytes, more than the pre-parser buffers. */
    public record TooLarge(int declared) implements Verdict {
    }

    /** A record of {@code type} and {@code length} arrived before the hello was complete. */
    public record Interleaved(int type, int length, int helloBytesSoFar) implements Verdict {
    }

    private static final Continue CONTINUE = new Continue();

    /** Reads {@code in} from its reader index; {@code maxHello} is the largest hello body the caller buffers. */
    public static Verdict read(ByteBuf in, int maxHello) {
        int index = in.readerIndex();
        int end = in.writerIndex();
        int header = 0;
        int messageType = -1;
        int declared = -1;
        long helloBytes = 0;
        while (end - index >= RECORD_HEADER) {
            int type = in.getUnsignedByte(index);
            int length = in.getUnsignedShort(index + 3);
            if (type != HANDSHAKE) {
                return helloBytes > 0 ? new Interleaved(type, length, (int) helloBytes) : CONTINUE;
            }
            if (in.getUnsignedByte(index + 1) != 3) {
                return CONTINUE;
            }
            int available = Math.min(length, end - index - RECORD_HEADER);
            for (int i = 0; i < available && header < 4; i++, header++) {
                int value = in.getUnsignedByte(index + RECORD_HEADER + i);
                if (header == 0) {
                    messageType = value;
                    declared = 0;
                } else {
                    declared = (declared << 8) | value;
                }
            }
            if (header >= 1 && messageType != CLIENT_HELLO) {
                return CONTINUE;
            }
            if (header == 4 && declared > maxHello) {
                return new TooLarge(declared);
            }
            helloBytes += available;
            if (available < length || (header == 4 && helloBytes >= declared + 4L)) {
                // A record still arriving, or the hello is complete: Netty's pre-parser takes it from here.
                return CONTINUE;
            }
            index += RECORD_HEADER + length;
        }
        return CONTINUE;
    }
}
