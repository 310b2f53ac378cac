package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.Unpooled;
import io.tlswatch.tlsserver.handshake.ClientHelloFraming.Continue;
import io.tlswatch.tlsserver.handshake.ClientHelloFraming.Interleaved;
import io.tlswatch.tlsserver.handshake.ClientHelloFraming.TooLarge;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ClientHelloFramingTest {

    private static final int MAX = 64 * 1024;

    private static byte[] record(int type, byte[] body) {
        byte[] record = new byte[5 + body.length];
        record[0] = (byte) type;
        record[1] = 3;
        record[2] = 1;
        record[3] = (byte) (body.length >>> 8);
        record[4] = (byte) body.length;
        System.arraycopy(body, 0, record, 5, body.length);
        return record;
    }

    private static byte[] helloMessage(int bodyLength) {
        byte[] message = new byte[4 + bodyLength];
        message[0] = 1;
        message[1] = (byte) (bodyLength >>> 16);
        message[2] = (byte) (bodyLength >>> 8);
        message[3] = (byte) bodyLength;
        return message;
    }

    private static ClientHelloFraming.Verdict read(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return ClientHelloFraming.read(Unpooled.wrappedBuffer(all.toByteArray()), MAX);
    }

    @Test
    void aCompleteHelloInOneRecordIsLeftToThePreParser() throws IOException {
        assertThat(read(ClientHelloCaptureTest.capture("curl-7.88-openssl-3.0-sni"))).isInstanceOf(Continue.class);
    }

    @Test
    void aHelloAnnouncingMoreThanTheLimitIsTooLargeFromItsFirstRecord() {
        // given the first 2^14 bytes of a 70 KiB hello
        byte[] message = helloMessage(70 * 1024);

        // when
        ClientHelloFraming.Verdict verdict = read(record(22, Arrays.copyOf(message, 16_384)));

        // then
        assertThat(verdict).isEqualTo(new TooLarge(70 * 1024));
    }

    @Test
    void aHelloHeaderSplitAcrossRecordsIsStillRead() {
        byte[] message = helloMessage(70 * 1024);

        ClientHelloFraming.Verdict verdict = read(record(22, Arrays.copyOf(message, 2)),
                record(22, Arrays.copyOfRange(message, 2, 100)));

        assertThat(verdict).isEqualTo(new TooLarge(70 * 1024));
    }

    @Test
    void anEmptyApplicationDataRecordBetweenFragmentsIsInterleaved() {
        // given a 300-byte hello cut after 100 bytes, with an empty application_data record between
        byte[] message = helloMessage(296);

        // when
        ClientHelloFraming.Verdict verdict = read(record(22, Arrays.copyOf(message, 100)), record(23, new byte[0]),
                record(22, Arrays.copyOfRange(message, 100, 300)));

        // then
        assertThat(verdict).isEqualTo(new Interleaved(23, 0, 100));
    }

    @Test
    void aHelloStillArrivingIsWaitedFor() {
        byte[] message = helloMessage(296);
        byte[] first = record(22, message);

        assertThat(read(Arrays.copyOf(first, 50))).isInstanceOf(Continue.class);
        assertThat(read(Arrays.copyOf(first, 3))).isInstanceOf(Continue.class);
    }

    @Test
    void recordsAfterACompleteHelloAndOtherFirstRecordsAreNotThisClassesToJudge() {
        byte[] hello = record(22, helloMessage(100));

        assertThat(read(hello, record(23, new byte[0]))).isInstanceOf(Continue.class);
        assertThat(read(record(21, new byte[]{2, 40}))).isInstanceOf(Continue.class);
        assertThat(read("GET / HTTP/1.1\r\n".getBytes())).isInstanceOf(Continue.class);
        // a handshake message that is not a ClientHello is the engine's to refuse
        byte[] serverHello = helloMessage(100);
        serverHello[0] = 2;
        assertThat(read(record(22, serverHello))).isInstanceOf(Continue.class);
    }
}
