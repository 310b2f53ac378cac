package io.tlswatch.tlsserver.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerAlertRecordsTest {

    @Test
    void aPlaintextAlertAfterOtherRecordsIsFound() {
        // given a handshake record, then a fatal decode_error (50) in the clear
        ByteBuf written = Unpooled.wrappedBuffer(new byte[]{22, 3, 3, 0, 1, 2, 21, 3, 3, 0, 2, 2, 50});

        // then
        assertThat(ServerAlertRecords.find(written)).hasValue(50);
        assertThat(written.readerIndex()).isZero();
        written.release();
    }

    @Test
    void anEncryptedAlertOrApplicationDataIsNotReported() {
        // a TLS 1.2 encrypted alert is longer than two bytes; a TLS 1.3 one hides in application_data
        ByteBuf encrypted = Unpooled.wrappedBuffer(new byte[]{21, 3, 3, 0, 3, 9, 9, 9, 23, 3, 3, 0, 2, 2, 50});

        assertThat(ServerAlertRecords.find(encrypted)).isEmpty();
        encrypted.release();
    }

    @Test
    void bytesThatAreNotRecordsEndTheSearch() {
        ByteBuf noise = Unpooled.wrappedBuffer(new byte[]{'H', 'T', 'T', 'P', '/', 21, 3, 3, 0, 2, 2, 50});

        assertThat(ServerAlertRecords.find(noise)).isEmpty();
        noise.release();
    }
}
