package io.tlswatch.tlsserver.classify;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAlertScannerTest {

    // A handshake record of 4 body bytes, a change_cipher_spec, then a plaintext fatal unknown_ca alert.
    private static final byte[] HELLO = {22, 3, 1, 0, 4, 1, 0, 0, 0};
    private static final byte[] CCS = {20, 3, 3, 0, 1, 1};
    private static final byte[] UNKNOWN_CA = {21, 3, 3, 0, 2, 2, 48};

    @Test
    void findsAPlaintextAlertAfterTheHello() {
        // given
        ClientAlertScanner scanner = new ClientAlertScanner();

        // when
        scanner.scan(concat(HELLO, CCS, UNKNOWN_CA));

        // then
        assertThat(scanner.alert()).hasValue(48);
    }

    @Test
    void followsRecordsSplitAcrossReadsAtAnyByte() {
        // given
        byte[] stream = concat(HELLO, CCS, UNKNOWN_CA);
        for (int split = 1; split < stream.length; split++) {
            ClientAlertScanner scanner = new ClientAlertScanner();

            // when
            scanner.scan(Arrays.copyOfRange(stream, 0, split));
            scanner.scan(Arrays.copyOfRange(stream, split, stream.length));

            // then
            assertThat(scanner.alert()).as("split at %d", split).hasValue(48);
        }
    }

    @Test
    void leavesTheBufferPositionAlone() {
        // given
        ByteBuffer buffer = ByteBuffer.wrap(concat(HELLO, UNKNOWN_CA));

        // when
        new ClientAlertScanner().scan(buffer);

        // then
        assertThat(buffer.position()).isZero();
        assertThat(buffer.remaining()).isEqualTo(HELLO.length + UNKNOWN_CA.length);
    }

    @Test
    void seesNothingInEncryptedRecords() {
        // given an application_data record whose body happens to look like an alert
        ClientAlertScanner scanner = new ClientAlertScanner();

        // when
        scanner.scan(concat(HELLO, new byte[]{23, 3, 3, 0, 7, 21, 3, 3, 0, 2, 2, 48}));

        // then
        assertThat(scanner.alert()).isEmpty();
    }

    @Test
    void stopsAtBytesThatAreNotTlsRecords() {
        // given plain HTTP, then something that would read as an alert
        ClientAlertScanner scanner = new ClientAlertScanner();

        // when
        scanner.scan(concat("GET / HTTP/1.1\r\n\r\n".getBytes(), UNKNOWN_CA));

        // then
        assertThat(scanner.alert()).isEmpty();
    }

    @Test
    void stopsAfterItsByteBudget() {
        // given a handshake record as large as TLS allows, repeated past the budget
        ClientAlertScanner scanner = new ClientAlertScanner();
        byte[] big = new byte[5 + 16384];
        big[0] = 22;
        big[1] = 3;
        big[2] = 3;
        big[3] = 0x40;
        big[4] = 0;

        // when
        for (int i = 0; i < 4; i++) {
            scanner.scan(big);
        }
        scanner.scan(UNKNOWN_CA);

        // then
        assertThat(scanner.alert()).isEmpty();
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }
}
