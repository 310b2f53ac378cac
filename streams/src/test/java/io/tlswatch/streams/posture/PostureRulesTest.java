package io.tlswatch.streams.posture;

import io.tlswatch.common.event.FailureReason;
import io.tlswatch.common.event.Posture;
import io.tlswatch.streams.config.PostureRulesConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.tlswatch.streams.TestEvents.MODERN_JA4;
import static io.tlswatch.streams.TestEvents.TLS12_JA4;
import static io.tlswatch.streams.TestEvents.check;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

class PostureRulesTest {

    private static final String ADDRESS = "198.51.100.7";
    private final PostureRules rules = new PostureRules(PostureRulesConfig.DEFAULTS);

    private static ClientState client(Observation... observations) {
        ClientState state = ClientState.first("c", minutes(0));
        for (Observation o : observations) {
            state = state.observe(o, 100);
        }
        return state;
    }

    private static Observation cipherFailure(long minute) {
        return Observation.of(failure(ADDRESS, minutes(minute), FailureReason.NO_SHARED_CIPHER, "TLSv1.2", TLS12_JA4));
    }

    private static Observation modernCheck(long minute) {
        return Observation.of(validCheck("c", ADDRESS, minutes(minute)));
    }

    @Test
    void aClientWithOnlyModernChecksIsHealthy() {
        Assessment a = rules.assess(client(modernCheck(0), modernCheck(5)), minutes(6));

        assertThat(a.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(a.reasons()).isEmpty();
        assertThat(a.highestNegotiatedVersion()).isEqualTo("TLSv1.3");
    }

    @Test
    void fewerMismatchesThanTheThresholdAreNotStuck() {
        Assessment a = rules.assess(client(cipherFailure(1), cipherFailure(2)), minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(a.failuresByReason()).containsEntry("no_shared_cipher", 2L);
    }

    @Test
    void theThresholdOfMismatchesMakesAClientStuck() {
        Assessment a = rules.assess(client(cipherFailure(1), cipherFailure(2), cipherFailure(3)), minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(a.reasons()).containsExactly("version_or_cipher_mismatch:3");
    }

    @Test
    void mismatchReportsCountLikeFailedHandshakes() {
        ClientState state = client(cipherFailure(1),
                Observation.of(report("c", ADDRESS, minutes(2), "tls.version_or_cipher_mismatch").build()),
                Observation.of(report("c", ADDRESS, minutes(3), "tls.version_or_cipher_mismatch").build()));

        assertThat(rules.assess(state, minutes(3)).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void otherFailureReasonsDoNotMakeAClientStuck() {
        ClientState state = client(
                Observation.of(failure(ADDRESS, minutes(1), FailureReason.HANDSHAKE_TIMEOUT, "TLSv1.3", MODERN_JA4)),
                Observation.of(failure(ADDRESS, minutes(2), FailureReason.CLOSED_BY_CLIENT, "TLSv1.3", MODERN_JA4)),
                Observation.of(failure(ADDRESS, minutes(3), FailureReason.NOT_TLS, "TLSv1.3", MODERN_JA4)));

        assertThat(rules.assess(state, minutes(3)).posture()).isEqualTo(Posture.HEALTHY);
    }

    @Test
    void anOfferBelowTls12IsStuckOnItsOwn() {
        Assessment a = rules.assess(client(Observation.of(outdatedFailure(ADDRESS, minutes(1)))), minutes(1));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(a.reasons()).contains("offers_only:TLSv1");
        assertThat(a.offeredSinceModern()).isEqualTo("TLSv1");
    }

    @Test
    void aModernHandshakeAfterTheFailuresClearsThem() {
        Assessment a = rules.assess(client(cipherFailure(1), cipherFailure(2), cipherFailure(3), modernCheck(4)),
                minutes(4));

        assertThat(a.posture()).isEqualTo(Posture.HEALTHY);
        // The failures still show as evidence within the window.
        assertThat(a.failuresByReason()).containsEntry("no_shared_cipher", 3L);
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        ClientState state = client(cipherFailure(1), cipherFailure(2), cipherFailure(3));

        Assessment a = rules.assess(state, minutes(3).plus(Duration.ofHours(24)).plusSeconds(61));

        assertThat(a.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(a.failuresByReason()).isEmpty();
    }

    @Test
    void stuckWithTheEntitlementRunningOutWithinTheHorizonIsAtRisk() {
        ClientState state = client(cipherFailure(1), cipherFailure(2), cipherFailure(3))
                .validCheck(minutes(0), minutes(15), minutes(0).plus(Duration.ofHours(50)));

        Assessment a = rules.assess(state, minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(a.timeLeft()).isEqualTo(Duration.ofHours(50).minusMinutes(3));
        assertThat(a.reasons()).contains("entitlement_runs_out_in:PT49H");
    }

    @Test
    void stuckWithTheEntitlementBeyondTheHorizonStaysStuck() {
        ClientState state = client(cipherFailure(1), cipherFailure(2), cipherFailure(3))
                .validCheck(minutes(0), minutes(15), minutes(0).plus(Duration.ofDays(10)));

        assertThat(rules.assess(state, minutes(3)).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void stuckWithoutAnyKnownEntitlementIsStuckNotAtRisk() {
        assertThat(rules.assess(client(cipherFailure(1), cipherFailure(2), cipherFailure(3)), minutes(3)).posture())
                .isEqualTo(Posture.STUCK);
    }

    @Test
    void aLatestHandshakeOnTls12WithoutAeadIsDegraded() {
        ClientState state = client(Observation.of(check("c", ADDRESS, minutes(1), "TLSv1.2",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", TLS12_JA4).tokenExpiresAt(minutes(16)).build()));

        Assessment a = rules.assess(state, minutes(1));

        assertThat(a.posture()).isEqualTo(Posture.DEGRADED);
        assertThat(a.reasons()).containsExactly("tls12_without_aead:TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
    }

    @Test
    void tls12WithAnAeadSuiteIsHealthy() {
        ClientState state = client(Observation.of(check("c", ADDRESS, minutes(1), "TLSv1.2",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS12_JA4).tokenExpiresAt(minutes(16)).build()));

        assertThat(rules.assess(state, minutes(1)).posture()).isEqualTo(Posture.HEALTHY);
    }

    @Test
    void anUnknownCaIsAnOldTrustStore() {
        ClientState state = client(modernCheck(0),
                Observation.of(failure(ADDRESS, minutes(1), FailureReason.UNKNOWN_CA, "TLSv1.3", MODERN_JA4)));

        assertThat(rules.assess(state, minutes(1)).reasons()).containsExactly("old_trust_store:1");
    }

    @Test
    void certificateDateErrorsAndAClockOffsetPointAtAWrongClock() {
        ClientState state = client(modernCheck(0),
                Observation.of(failure(ADDRESS, minutes(1), FailureReason.CERTIFICATE_EXPIRED, "TLSv1.3", MODERN_JA4)),
                Observation.of(report("c", ADDRESS, minutes(2), "tls.failed")
                        .clientTime(minutes(2).minus(Duration.ofDays(400))).build()));

        assertThat(rules.assess(state, minutes(2)).reasons())
                .containsExactly("certificate_date_errors:1", "clock_offset:PT-9600H");
    }

    @Test
    void aSmallClockOffsetIsNotEvidence() {
        ClientState state = client(modernCheck(0), Observation.of(report("c", ADDRESS, minutes(2), "tls.failed")
                .clientTime(minutes(2).plusSeconds(30)).build()));

        assertThat(rules.assess(state, minutes(2)).posture()).isEqualTo(Posture.HEALTHY);
    }

    @Test
    void thresholdsComeFromConfiguration() {
        PostureRules strict = new PostureRules(PostureRulesConfig.DEFAULTS.withStuckMinFailures(1));

        assertThat(strict.assess(client(cipherFailure(1)), minutes(1)).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void lastErrorsAreNewestFirstAndAtMostFive() {
        ClientState state = client();
        for (int i = 1; i <= 7; i++) {
            state = state.observe(Observation.of(report("c", ADDRESS, minutes(i), "tls.failed").build()), 100);
        }

        Assessment a = rules.assess(state, minutes(7));

        assertThat(a.lastErrors()).hasSize(5);
        assertThat(a.highestOfferedVersion()).isNull();
        Instant unused = a.runsOutAt();
        assertThat(unused).isNull();
    }
}
