package io.tlswatch.tlsserver.clienthello;

import java.nio.ByteBuffer;

/**
 * A cursor over a fixed window of a buffer. Every read is checked against the window, so a length field can
 * never make the parser read outside the structure that contains it; what an overrun means (a lying length in
 * the hello, or a malformed extension body) is the window's {@code overrun} error.
 */
final class ByteReader {

    private final ByteBuffer buffer;
    private final int end;
    private final ParseError overrun;
    private int position;

    /** A reader over {@code buffer}'s bytes from its position to its limit; the buffer itself is never moved. */
    ByteReader(ByteBuffer buffer, ParseError overrun) {
        this(buffer, buffer.position(), buffer.limit(), overrun);
    }

    private ByteReader(ByteBuffer buffer, int start, int end, ParseError overrun) {
        this.buffer = buffer;
        this.position = start;
        this.end = end;
        this.overrun = overrun;
    }

    int remaining() {
        return end - position;
    }

    int u8(String field) throws ParseFailure {
        require(1, field);
        return buffer.get(position++) & 0xFF;
    }

    int u16(String field) throws ParseFailure {
        require(2, field);
        int value = ((buffer.get(position) & 0xFF) << 8) | (buffer.get(position + 1) & 0xFF);
        position += 2;
        return value;
    }

    void skip(int count, String field) throws ParseFailure {
        require(count, field);
        position += count;
    }

    byte[] bytes(int count, String field) throws ParseFailure {
        require(count, field);
        byte[] out = new byte[count];
        for (int i = 0; i < count; i++) {
            out[i] = buffer.get(position + i);
        }
        position += count;
        return out;
    }

    /** The next {@code count} bytes as their own window, whose overruns report {@code innerOverrun}. */
    ByteReader window(int count, String field, ParseError innerOverrun) throws ParseFailure {
        require(count, field);
        ByteReader inner = new ByteReader(buffer, position, position + count, innerOverrun);
        position += count;
        return inner;
    }

    private void require(int count, String field) throws ParseFailure {
        if (count < 0 || count > end - position) {
            throw new ParseFailure(overrun, field + " needs " + count + " bytes, " + (end - position) + " left");
        }
    }
}
