package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.Posture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class AlertCauseTest {

    private static final String OLD_JA4 = "t10d170300_d4b1867c498c_33a13ba74d1c";
    private static final String MODERN_JA4 = "t13d1516h2_8daaf6152771_02713d6af862";

    private static Assessment assessment(Posture posture, Map<String, Long> failures, Map<String, Long> reports,
                                         String... ja4s) {
        return new Assessment(posture, List.of(), failures, reports, null, null, null, new TreeSet<>(List.of(ja4s)),
                new TreeSet<>(), List.of(), null, null);
    }

    @Test
    void aStuckClientOnOneFingerprintFailingOnVersionsIsCausedByItsFingerprint() {
        // given a client that offers one outdated stack and is refused for it
        Assessment a = assessment(Posture.STUCK, Map.of("protocol_version", 9L),
                Map.of("tls.version_or_cipher_mismatch", 2L), OLD_JA4);

        // then its cause is the fingerprint
        assertThat(AlertCause.of(a)).isEqualTo("ja4:" + OLD_JA4);
    }

    @Test
    void aCertificateErrorIsTheCauseWhateverTheFingerprint() {
        // given a modern stack whose trust store lacks the CA
        Assessment a = assessment(Posture.AT_RISK, Map.of("unknown_ca", 4L), Map.of(), MODERN_JA4);

        // then the cause is the error, shared with every other stack failing on the certificate
        assertThat(AlertCause.of(a)).isEqualTo("error:unknown_ca");
    }

    @Test
    void nelCertificateClassesCountAsCertificateErrors() {
        Assessment a = assessment(Posture.STUCK, Map.of(), Map.of("tls.cert.date_invalid", 3L), MODERN_JA4);

        assertThat(AlertCause.of(a)).isEqualTo("error:tls.cert.date_invalid");
    }

    @Test
    void severalFingerprintsFallBackToTheMostFrequentErrorWithTiesToTheFirstName() {
        // given a client seen with two stacks and two errors as frequent as each other
        Assessment a = assessment(Posture.STUCK, Map.of("protocol_version", 3L, "no_shared_cipher", 1L),
                Map.of("tls.version_or_cipher_mismatch", 3L), OLD_JA4, MODERN_JA4);

        assertThat(AlertCause.of(a)).isEqualTo("error:protocol_version");
    }

    @Test
    void noErrorsAndNoSingleFingerprintIsNoCause() {
        assertThat(AlertCause.of(assessment(Posture.AT_RISK, Map.of(), Map.of()))).isNull();
    }

    @Test
    void postureOtherThanStuckOrAtRiskHasNoCause() {
        Assessment a = assessment(Posture.DEGRADED, Map.of("protocol_version", 3L), Map.of(), OLD_JA4);

        assertThat(AlertCause.of(a)).isNull();
    }
}
