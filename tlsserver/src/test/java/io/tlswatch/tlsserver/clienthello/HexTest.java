package io.tlswatch.tlsserver.clienthello;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HexTest {

    @Test
    void spellsEverySixteenBitValueAsStringFormatWould() {
        for (int value = 0; value <= 0xFFFF; value++) {
            assertThat(Hex.bare16(value)).isEqualTo(String.format("%04x", value));
            assertThat(Hex.u16(value)).isEqualTo(String.format("0x%04x", value));
        }
    }

    @Test
    void keepsOnlyTheLowSixteenBits() {
        assertThat(Hex.bare16(0x1ABCD)).isEqualTo("abcd");
        assertThat(Hex.bare16(-1)).isEqualTo("ffff");
    }

    @Test
    void spellsEveryByteWithTwoDigits() {
        for (int value = 0; value <= 0xFF; value++) {
            assertThat(Hex.u8(value)).isEqualTo(String.format("%02x", value));
        }
    }
}
