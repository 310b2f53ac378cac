package io.tlswatch.tlsserver.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderStartTest {

    private static HeaderStart of(byte... bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return HeaderStart.of(buf);
        } finally {
            buf.release();
        }
    }

    private static HeaderStart of(String text) {
        return of(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aTlsRecordIsNoHeaderFromItsFirstByte() {
        assertThat(of((byte) 0x16)).isEqualTo(HeaderStart.NONE);
        assertThat(of((byte) 0x16, (byte) 0x03, (byte) 0x01)).isEqualTo(HeaderStart.NONE);
    }

    @Test
    void httpMethodsAreNoHeaderEvenThoseStartingWithP() {
        assertThat(of("POST /v1/reports HTTP/1.1\r\n")).isEqualTo(HeaderStart.NONE);
        assertThat(of("PU")).isEqualTo(HeaderStart.NONE);
        assertThat(of("GET")).isEqualTo(HeaderStart.NONE);
    }

    @Test
    void theV1SignatureIsAHeaderOnceComplete() {
        assertThat(of("PRO")).isEqualTo(HeaderStart.NEED_MORE);
        assertThat(of("PROXY")).isEqualTo(HeaderStart.HEADER);
        assertThat(of("PROXY TCP4 192.0.2.1 192.0.2.2 51000 8443\r\n")).isEqualTo(HeaderStart.HEADER);
    }

    @Test
    void theV2SignatureIsAHeaderOnceAllTwelveBytesMatch() {
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21};

        assertThat(of(java.util.Arrays.copyOf(signature, 11))).isEqualTo(HeaderStart.NEED_MORE);
        assertThat(of(java.util.Arrays.copyOf(signature, 12))).isEqualTo(HeaderStart.HEADER);
        assertThat(of(signature)).isEqualTo(HeaderStart.HEADER);
        assertThat(of((byte) 0x0D, (byte) 0x0A, (byte) 0x0D, (byte) 0x0B)).isEqualTo(HeaderStart.NONE);
    }

    @Test
    void nothingYetNeedsMore() {
        assertThat(of(new byte[0])).isEqualTo(HeaderStart.NEED_MORE);
    }
}
