package io.tlswatch.tlsserver.clienthello;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class GreaseTest {

    @Test
    void recognisesExactlyTheSixteenReservedValues() {
        // when
        List<Integer> grease = IntStream.rangeClosed(0, 0xFFFF).filter(Grease::isGrease).boxed().toList();

        // then: RFC 8701 section 2
        assertThat(grease).containsExactly(0x0A0A, 0x1A1A, 0x2A2A, 0x3A3A, 0x4A4A, 0x5A5A, 0x6A6A, 0x7A7A,
                0x8A8A, 0x9A9A, 0xAAAA, 0xBABA, 0xCACA, 0xDADA, 0xEAEA, 0xFAFA);
    }

    @Test
    void removesGreaseKeepingTheOrder() {
        assertThat(Grease.without(List.of(0x2A2A, 0x1301, 0x0A0B, 0xFAFA, 0x00FF))).containsExactly(0x1301, 0x0A0B, 0x00FF);
    }
}
