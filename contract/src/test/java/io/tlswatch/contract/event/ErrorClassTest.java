package io.tlswatch.contract.event;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorClassTest {

    @Test
    void everyKnownClassReadsBackFromItsWireName() {
        for (ErrorClass c : ErrorClass.values()) {
            assertThat(ErrorClass.fromWire(c.wire())).contains(c);
        }
    }

    @Test
    void wireNamesAreDistinctAndWellFormed() {
        assertThat(Arrays.stream(ErrorClass.values()).map(ErrorClass::wire)).doesNotHaveDuplicates()
                .allSatisfy(wire -> assertThat(ErrorClass.wellFormed(wire)).isTrue());
    }

    @Test
    void aClassNotListedIsUnknownButMayStillBeWellFormed() {
        // given a NEL type tlswatch does not list
        String nel = "dns.address_changed";

        // then it is no known class, yet a valid error class on the wire
        assertThat(ErrorClass.fromWire(nel)).isEmpty();
        assertThat(ErrorClass.wellFormed(nel)).isTrue();
        assertThat(ErrorClass.fromWire(null)).isEmpty();
    }

    @Test
    void onlyDottedLowercaseWordsAreWellFormed() {
        assertThat(ErrorClass.wellFormed("tls.cert.authority_invalid")).isTrue();
        assertThat(ErrorClass.wellFormed("TLS.Failed")).isFalse();
        assertThat(ErrorClass.wellFormed("tls..failed")).isFalse();
        assertThat(ErrorClass.wellFormed("tls.failed.")).isFalse();
        assertThat(ErrorClass.wellFormed("")).isFalse();
        assertThat(ErrorClass.wellFormed(null)).isFalse();
    }
}
