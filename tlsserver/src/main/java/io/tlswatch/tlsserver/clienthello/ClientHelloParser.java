package io.tlswatch.tlsserver.clienthello;

import java.nio.ByteBuffer;

/**
 * Decodes a TLS ClientHello from untrusted bytes, with hard bounds and without throwing.
 *
 * <p>Two entry points, for the two ways the bytes arrive:
 * <ul>
 *   <li>{@link #parseRecords}: what the client sent on the wire, starting at its first byte: TLS records
 *       (5-byte header each) carrying the handshake message. A hello split over several records is reassembled.
 *       This entry point also recognises what is not a ClientHello at all (plain HTTP, SSLv2, alerts).</li>
 *   <li>{@link #parseHandshakeBody}: the hello as Netty's {@code SslClientHelloHandler} hands it to
 *       {@code lookup(ctx, clientHello)}: the handshake message body only, already reassembled, without record
 *       headers and without the 4-byte handshake header (it starts at {@code legacy_version} and ends with the
 *       last extension). Copy the {@code ByteBuf}'s readable bytes into a byte array or {@code ByteBuffer}
 *       before {@code lookup} returns: Netty releases it afterwards.</li>
 * </ul>
 *
 * <p>Bounds: a hello whose handshake length exceeds {@link #maxHelloLength()} (16 KiB by default, many times
 * what real clients send, post-quantum key shares included) is refused as {@link ParseError#TOO_LARGE} before
 * any of it is buffered; a record may not exceed the 2^14 bytes TLS allows; every length field is checked
 * against the bytes that contain it. Nothing is ever read beyond the input, and the caller's buffer position
 * is left untouched. Instances are immutable and thread-safe.
 */
public final class ClientHelloParser {

    /** Default limit on the ClientHello body (the handshake length field). */
    public static final int DEFAULT_MAX_HELLO_LENGTH = 16 * 1024;

    private static final int HANDSHAKE = 22;
    private static final int CLIENT_HELLO = 1;
    private static final int RECORD_HEADER_LENGTH = 5;
    private static final int HANDSHAKE_HEADER_LENGTH = 4;
    private static final int MAX_RECORD_LENGTH = 1 << 14;
    // The handshake length field is 24 bits.
    private static final int MAX_CONFIGURABLE_LENGTH = 0xFFFFFF;

    private final int maxHelloLength;

    public ClientHelloParser() {
        this(DEFAULT_MAX_HELLO_LENGTH);
    }

    /** A parser that refuses hellos whose body is longer than {@code maxHelloLength} bytes. */
    public ClientHelloParser(int maxHelloLength) {
        if (maxHelloLength < 64 || maxHelloLength > MAX_CONFIGURABLE_LENGTH) {
            throw new IllegalArgumentException("maxHelloLength must be within 64.." + MAX_CONFIGURABLE_LENGTH
                    + ": " + maxHelloLength);
        }
        this.maxHelloLength = maxHelloLength;
    }

    public int maxHelloLength() {
        return maxHelloLength;
    }

    /** Parses the first bytes of a connection: TLS records carrying a ClientHello. Bytes after it are ignored. */
    public ParseResult parseRecords(byte[] input) {
        return parseRecords(ByteBuffer.wrap(input));
    }

    /** As {@link #parseRecords(byte[])}, reading {@code input} from its position to its limit without moving it. */
    public ParseResult parseRecords(ByteBuffer input) {
        try {
            return new ParseResult.Parsed(readRecords(input.slice()));
        } catch (ParseFailure failure) {
            return failure.toResult();
        } catch (RuntimeException bug) {
            return internal(bug);
        }
    }

    /** Parses a ClientHello handshake body, as Netty's {@code SslClientHelloHandler} passes it to {@code lookup}. */
    public ParseResult parseHandshakeBody(byte[] body) {
        return parseHandshakeBody(ByteBuffer.wrap(body));
    }

    /** As {@link #parseHandshakeBody(byte[])}, reading {@code body} from its position to its limit without moving it. */
    public ParseResult parseHandshakeBody(ByteBuffer body) {
        try {
            ByteBuffer window = body.slice();
            if (window.remaining() > maxHelloLength) {
                throw new ParseFailure(ParseError.TOO_LARGE, "ClientHello of " + window.remaining()
                        + " bytes exceeds " + maxHelloLength);
            }
            return new ParseResult.Parsed(ClientHelloBodyDecoder.decode(new ByteReader(window, ParseError.BAD_LENGTH)));
        } catch (ParseFailure failure) {
            return failure.toResult();
        } catch (RuntimeException bug) {
            return internal(bug);
        }
    }

    /**
     * Collects record fragments until the handshake message they carry is complete, then decodes its body.
     * The buffer for the message is at most {@code maxHelloLength + 4} bytes, and no larger than the input.
     */
    private ClientHello readRecords(ByteBuffer in) throws ParseFailure {
        int available = in.remaining();
        if (available == 0) {
            throw new ParseFailure(ParseError.TRUNCATED, "no bytes");
        }
        if ((in.get(0) & 0xFF) != HANDSHAKE) {
            throw NonHandshakeInput.classify(in);
        }
        byte[] message = new byte[Math.min(available, maxHelloLength + HANDSHAKE_HEADER_LENGTH)];
        int have = 0;
        int want = -1;
        int position = 0;
        int records = 0;
        while (true) {
            if (available - position < RECORD_HEADER_LENGTH) {
                throw new ParseFailure(ParseError.TRUNCATED, "record header incomplete after " + records
                        + " records, " + have + " handshake bytes");
            }
            int type = in.get(position) & 0xFF;
            int major = in.get(position + 1) & 0xFF;
            int length = ((in.get(position + 3) & 0xFF) << 8) | (in.get(position + 4) & 0xFF);
            if (type != HANDSHAKE) {
                throw new ParseFailure(ParseError.NOT_HANDSHAKE, "record type " + type
                        + " interrupts the ClientHello after " + have + " bytes");
            }
            if (major != 3) {
                throw new ParseFailure(ParseError.NOT_TLS, "record version major " + major + " is not 3");
            }
            // RFC 8446 section 5.1: no empty handshake records (they would let a peer stall us for free).
            if (length == 0) {
                throw new ParseFailure(ParseError.BAD_LENGTH, "empty handshake record");
            }
            if (length > MAX_RECORD_LENGTH) {
                throw new ParseFailure(ParseError.BAD_LENGTH, "record length " + length + " exceeds 2^14");
            }
            records++;
            int fragmentStart = position + RECORD_HEADER_LENGTH;
            int present = Math.min(length, available - fragmentStart);
            int room = (want < 0 ? message.length : want) - have;
            int copy = Math.max(0, Math.min(present, room));
            in.get(fragmentStart, message, have, copy);
            have += copy;

            if (want < 0 && have >= HANDSHAKE_HEADER_LENGTH) {
                int handshakeType = message[0] & 0xFF;
                if (handshakeType != CLIENT_HELLO) {
                    throw new ParseFailure(ParseError.NOT_CLIENT_HELLO, "handshake type " + handshakeType);
                }
                int bodyLength = ((message[1] & 0xFF) << 16) | ((message[2] & 0xFF) << 8) | (message[3] & 0xFF);
                if (bodyLength > maxHelloLength) {
                    throw new ParseFailure(ParseError.TOO_LARGE, "ClientHello of " + bodyLength
                            + " bytes exceeds " + maxHelloLength);
                }
                want = HANDSHAKE_HEADER_LENGTH + bodyLength;
            }
            if (want >= 0 && have >= want) {
                ByteBuffer body = ByteBuffer.wrap(message, HANDSHAKE_HEADER_LENGTH, want - HANDSHAKE_HEADER_LENGTH);
                return ClientHelloBodyDecoder.decode(new ByteReader(body, ParseError.BAD_LENGTH));
            }
            if (present < length) {
                throw new ParseFailure(ParseError.TRUNCATED, "record " + records + " declares " + length
                        + " bytes, " + present + " present");
            }
            position = fragmentStart + length;
        }
    }

    private static ParseResult internal(RuntimeException bug) {
        return new ParseResult.Failed(ParseError.INTERNAL, bug.getClass().getSimpleName());
    }
}
