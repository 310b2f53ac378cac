package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.config.PostureRulesConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.tlswatch.streams.TestEvents.JAVA7_JA4;
import static io.tlswatch.streams.TestEvents.MODERN_JA4;
import static io.tlswatch.streams.TestEvents.TLS12_JA4;
import static io.tlswatch.streams.TestEvents.check;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.refusedCheck;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

class PostureRulesTest {

    private static final String ADDRESS = "198.51.100.7";
    private final PostureRules rules = new PostureRules(PostureRulesConfig.DEFAULTS);

    /** A client that passed a check an hour before the test starts (a 15-minute token, 30 days of grace). */
    private static ClientState client(Observation... observations) {
        return neverValidated(observations).validCheck(minutes(-60), minutes(-45), minutes(-45).plus(Duration.ofDays(30)));
    }

    private static ClientState neverValidated(Observation... observations) {
        ClientState state = ClientState.first("c", minutes(0));
        for (Observation o : observations) {
            state = state.observe(o, 100);
        }
        return state;
    }

    private static Observation handshakeFailure(long minute, FailureReason reason) {
        return Observation.of(failure(ADDRESS, minutes(minute), reason, "TLSv1.3", MODERN_JA4));
    }

    private static Observation ownReport(long minute, String errorClass) {
        return Observation.of(report("c", ADDRESS, minutes(minute), errorClass).build());
    }

    private static Observation refused(long minute, LicenseCheckCode code, String refusal, Long offset) {
        return Observation.of(refusedCheck("c", ADDRESS, minutes(minute), code, refusal, offset));
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
    void oneOutdatedOfferByAFingerprintAModernClientWasNeverSeenWithDoesNotConvictIt() {
        // a neighbour behind the same address: the client itself checks in over TLS 1.3
        Assessment a = rules.assess(client(modernCheck(0), Observation.of(outdatedFailure(ADDRESS, minutes(1)))),
                minutes(1));

        assertThat(a.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(a.reasons()).isEmpty();
        assertThat(a.failuresByReason()).containsEntry("protocol_version", 1L);
    }

    @Test
    void anOutdatedOfferOnTheClientsOwnConnectionConvictsItEvenAfterAModernCheck() {
        Observation ownOffer = Observation.of(report("c", ADDRESS, minutes(1), "tls.version_or_cipher_mismatch")
                .arrival(new Arrival("collector-tls", "TLSv1", "TLS_RSA_WITH_AES_128_CBC_SHA", JAVA7_JA4)).build());

        Assessment a = rules.assess(client(modernCheck(0), ownOffer, Observation.of(outdatedFailure(ADDRESS,
                minutes(2)))), minutes(2));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(a.reasons()).containsExactly("version_or_cipher_mismatch:2", "offers_only:TLSv1");
    }

    @Test
    void anOldTrustStoreWithNoSuccessfulHandshakeSinceIsStuck() {
        ClientState state = client(modernCheck(0), handshakeFailure(1, FailureReason.UNKNOWN_CA),
                ownReport(2, "tls.cert.authority_invalid"), handshakeFailure(3, FailureReason.UNKNOWN_CA));

        Assessment a = rules.assess(state, minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(a.reasons()).containsExactly("old_trust_store:3");
    }

    @Test
    void anOldTrustStoreOfAClientNeverSeenValidIsAtRisk() {
        ClientState state = neverValidated(handshakeFailure(1, FailureReason.UNKNOWN_CA),
                ownReport(1, "tls.cert.authority_invalid"), handshakeFailure(2, FailureReason.UNKNOWN_CA));

        Assessment a = rules.assess(state, minutes(2));

        assertThat(a.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(a.reasons()).containsExactly("old_trust_store:3", "never_validated");
    }

    @Test
    void anOldTrustStoreWhoseEntitlementLapsesWithinTheHorizonIsAtRisk() {
        ClientState state = neverValidated(handshakeFailure(1, FailureReason.UNKNOWN_CA),
                handshakeFailure(2, FailureReason.UNKNOWN_CA), handshakeFailure(3, FailureReason.UNKNOWN_CA))
                .validCheck(minutes(0), minutes(15), minutes(15).plus(Duration.ofHours(24)));

        Assessment a = rules.assess(state, minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(a.reasons()).containsExactly("old_trust_store:3", "entitlement_runs_out_in:PT24H");
    }

    @Test
    void everyTlsCauseCountsTowardsStuckAndIsNamed() {
        ClientState state = client(handshakeFailure(1, FailureReason.CERTIFICATE_EXPIRED),
                ownReport(2, "tls.cert.name_invalid"), handshakeFailure(3, FailureReason.BAD_CERTIFICATE));

        Assessment a = rules.assess(state, minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(a.reasons()).containsExactly("certificate_date_errors:1", "certificate_name_errors:1",
                "certificate_errors:1");
    }

    @Test
    void aModernHandshakeAfterTrustStoreFailuresPutsThemBehindTheClient() {
        ClientState state = client(handshakeFailure(1, FailureReason.UNKNOWN_CA),
                handshakeFailure(2, FailureReason.UNKNOWN_CA), handshakeFailure(3, FailureReason.UNKNOWN_CA),
                modernCheck(4));

        Assessment a = rules.assess(state, minutes(4));

        assertThat(a.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(a.failuresByReason()).containsEntry("unknown_ca", 3L);
    }

    @Test
    void aCheckRefusedForTheClientsClockIsDegradedWithTheSkew() {
        Assessment a = rules.assess(client(refused(1, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7200L)),
                minutes(1));

        assertThat(a.posture()).isEqualTo(Posture.DEGRADED);
        assertThat(a.reasons()).containsExactly("clock_skew:+7200s");
    }

    @Test
    void checksRefusedForTheClientsClockWithNoValidCheckSinceAreStuck() {
        ClientState state = client(modernCheck(0),
                refused(1, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7201L),
                refused(2, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7199L),
                refused(3, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7203L));

        Assessment a = rules.assess(state, minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(a.reasons()).containsExactly("clock_skew:+7200s");
    }

    @Test
    void checksRefusedForTheClockOfAClientNeverSeenValidAreAtRisk() {
        ClientState state = neverValidated(refused(1, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", -7200L),
                refused(2, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", -7200L),
                refused(3, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", -7200L));

        assertThat(rules.assess(state, minutes(3)).reasons()).containsExactly("clock_skew:-7200s", "never_validated");
    }

    @Test
    void aValidCheckPutsRefusalsBehindTheClient() {
        ClientState state = client(refused(1, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7200L),
                refused(2, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7200L), modernCheck(3));

        assertThat(rules.assess(state, minutes(3)).posture()).isEqualTo(Posture.HEALTHY);
    }

    @Test
    void aProofThatDoesNotVerifyIsTheClientsCauseAndAMissingOneToo() {
        ClientState state = client(refused(1, LicenseCheckCode.PROOF_INVALID, "bad_signature", null),
                refused(2, LicenseCheckCode.PROOF_REQUIRED, "missing", null));

        Assessment a = rules.assess(state, minutes(2));

        assertThat(a.posture()).isEqualTo(Posture.DEGRADED);
        assertThat(a.reasons()).containsExactly("proof_invalid:1", "proof_required:1");
    }

    @Test
    void aProofRefusedForAnotherReasonButFarOffInTimePointsAtTheClock() {
        Assessment a = rules.assess(client(refused(1, LicenseCheckCode.PROOF_INVALID, "replayed", 3600L)),
                minutes(1));

        assertThat(a.reasons()).containsExactly("clock_skew:+3600s");
    }

    @Test
    void refusalsOfTheLicenseOrOfTheValidatorsOwnMakingAreNotTheClientsPosture() {
        ClientState state = client(refused(1, LicenseCheckCode.EXPIRED, "expired", 2L),
                refused(2, LicenseCheckCode.PROOF_INVALID, "replay_cache_full", 1L),
                refused(3, LicenseCheckCode.NOT_YET_VALID, "not_yet_valid", 0L),
                refused(4, LicenseCheckCode.SUSPENDED, "suspended", null));

        assertThat(rules.assess(state, minutes(4)).posture()).isEqualTo(Posture.HEALTHY);
    }

    @Test
    void aProofInvalidCheckFromAValidatorOlderThanTheRefusalFieldStillCounts() {
        Assessment a = rules.assess(client(refused(1, LicenseCheckCode.PROOF_INVALID, null, null)), minutes(1));

        assertThat(a.reasons()).containsExactly("proof_invalid:1");
    }

    @Test
    void theClientsOwnReportsOfARefusalCountLikeRefusedChecks() {
        ClientState state = client(ownReport(1, "license.clock_skew"), ownReport(2, "license.proof_invalid"),
                ownReport(3, "license.clock_skew"));

        Assessment a = rules.assess(state, minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.STUCK);
        assertThat(a.reasons()).containsExactly("clock_skew", "proof_invalid:1");
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
    void stuckWithoutEverAValidCheckIsAtRiskAtOnce() {
        Assessment a = rules.assess(neverValidated(cipherFailure(1), cipherFailure(2), cipherFailure(3)), minutes(3));

        assertThat(a.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(a.reasons()).containsExactly("version_or_cipher_mismatch:3", "never_validated");
        assertThat(a.runsOutAt()).isNull();
    }

    @Test
    void aValidCheckWithoutATokenIsNoDeadlineSoTheClientStaysStuck() {
        ClientState state = neverValidated(cipherFailure(1), cipherFailure(2), cipherFailure(3))
                .validCheck(minutes(0), null, null);

        assertThat(rules.assess(state, minutes(3)).posture()).isEqualTo(Posture.STUCK);
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
                .containsExactly("certificate_date_errors:1", "clock_skew:-34560000s");
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
        ClientState state = neverValidated();
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
