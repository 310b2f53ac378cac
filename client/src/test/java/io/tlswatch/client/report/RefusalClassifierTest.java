package io.tlswatch.client.report;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalClassifierTest {

    private final RefusalClassifier refusals = new RefusalClassifier();

    @Test
    void aRefusedProofFromAClockHoursAheadIsClockSkewWithTheOffset() {
        Classification c = refusals.refusedProof("PROOF_INVALID", "the proof of possession was not accepted",
                Duration.ofHours(2));

        assertThat(c.errorClass()).isEqualTo(ErrorClass.LICENSE_CLOCK_SKEW);
        assertThat(c.reportable()).isTrue();
        assertThat(c.message()).isEqualTo("PROOF_INVALID (the proof of possession was not accepted): this client's "
                + "clock is +7200s off the license server's");
    }

    @Test
    void aClockBehindIsClockSkewToo() {
        Classification c = refusals.refusedProof("PROOF_INVALID", null, Duration.ofMinutes(-5));

        assertThat(c.errorClass()).isEqualTo(ErrorClass.LICENSE_CLOCK_SKEW);
        assertThat(c.message()).contains("-300s");
    }

    @Test
    void aRefusedProofWithTheClockWithinTheWindowIsAProofProblem() {
        Classification c = refusals.refusedProof("PROOF_INVALID", null, Duration.ofSeconds(60));

        assertThat(c.errorClass()).isEqualTo(ErrorClass.LICENSE_PROOF_INVALID);
        assertThat(c.reportable()).isTrue();
        assertThat(c.message()).contains("+60s");
    }

    @Test
    void withoutTheServersDateARefusedProofIsAProofProblem() {
        assertThat(refusals.refusedProof("PROOF_INVALID", null, null).errorClass())
                .isEqualTo(ErrorClass.LICENSE_PROOF_INVALID);
    }

    @Test
    void aMissingProofIsNamedAsSuch() {
        Classification c = refusals.refusedProof("PROOF_REQUIRED", null, Duration.ZERO);

        assertThat(c.errorClass()).isEqualTo(ErrorClass.LICENSE_PROOF_REQUIRED);
        assertThat(c.reportable()).isTrue();
    }

    @Test
    void aFreshTokenRefusedForItsTimesIsClockSkew() {
        Classification c = refusals.refusedTokenTimes("not_yet_valid", "the token is valid from ...",
                Duration.ofHours(-3));

        assertThat(c.errorClass()).isEqualTo(ErrorClass.LICENSE_CLOCK_SKEW);
        assertThat(c.message()).startsWith("token not_yet_valid: ").endsWith("-10800s off the token issuer's");
    }

    @Test
    void theOffsetIsTakenAgainstTheMiddleOfTheExchange() {
        Instant server = Instant.parse("2026-03-14T09:00:00Z");

        Duration offset = RefusalClassifier.offset(server, Instant.parse("2026-03-14T11:00:00Z"),
                Instant.parse("2026-03-14T11:00:02Z"));

        assertThat(offset).isEqualTo(Duration.ofHours(2).plusSeconds(1));
        assertThat(RefusalClassifier.seconds(offset)).isEqualTo("+7201s");
    }
}
