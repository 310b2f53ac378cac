package io.tlswatch.tlsserver.clienthello;

import io.tlswatch.tlsserver.clienthello.CapturedHellos.Expected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class Ja3Test {

    static List<Expected> clientHellos() {
        return CapturedHellos.clientHellos();
    }

    @ParameterizedTest
    @MethodSource("clientHellos")
    void matchesTheJa3ThatTsharkComputesForEveryCapture(Expected capture) {
        // given: expected values from tshark's tls.handshake.ja3_full / ja3 (see the README)
        ClientHello hello = CapturedHellos.parsed(capture.name());

        // when
        Ja3 ja3 = Ja3.of(hello);

        // then
        assertThat(ja3.text()).isEqualTo(capture.ja3());
        assertThat(ja3.hash()).isEqualTo(capture.ja3Hash());
    }

    @Test
    void writesAnOldTls10ClientInDecimalWithEveryListInOfferedOrder() {
        // when
        Ja3 ja3 = Ja3.of(CapturedHellos.parsed("openssl-3.0-tls1-seclevel0"));

        // then
        assertThat(ja3.text()).isEqualTo("769,49162-49172-57-49161-49171-51-53-47-255,11-10-35-22-23,29-23-30-25-24,0-1-2");
        assertThat(ja3.hash()).isEqualTo("53652b2730564404986852cde177b6d9");
    }

    @Test
    void ignoresGreaseValuesEverywhere() {
        // given: curl's hello, and the same hello with GREASE added where Chrome puts it
        ClientHello plain = CapturedHellos.parsed("curl-7.88-openssl-3.0-sni");
        ClientHello greased = CapturedHellos.parsed("synthetic-curl-grease");

        // when / then
        assertThat(Ja3.of(greased)).isEqualTo(Ja3.of(plain));
    }

    @Test
    void changesWhenAClientReordersItsExtensions() {
        // given: the same offer with the extensions in reverse order
        ClientHello plain = CapturedHellos.parsed("curl-7.88-openssl-3.0-sni");
        ClientHello permuted = CapturedHellos.parsed("synthetic-curl-permuted");

        // when / then: the weakness that JA4 fixes
        assertThat(Ja3.of(permuted).hash()).isNotEqualTo(Ja3.of(plain).hash());
    }

    @Test
    void leavesAbsentListsEmptyButKeepsTheirCommas() {
        // given: an SSLv3-style hello without extensions
        ClientHello hello = new ClientHelloParser()
                .parseRecords(new HelloBytes().legacyVersion(0x0300).cipherSuites(0x0004, 0x000A).withoutExtensionsBlock().records())
                .hello().orElseThrow();

        // when / then
        assertThat(Ja3.of(hello).text()).isEqualTo("768,4-10,,,");
    }
}
