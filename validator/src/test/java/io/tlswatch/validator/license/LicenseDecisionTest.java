package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.validator.machine.LedgerMachines;
import io.tlswatch.validator.token.TokenSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static io.tlswatch.contract.event.LicenseCheckCode.EXPIRED;
import static io.tlswatch.contract.event.LicenseCheckCode.NOT_YET_VALID;
import static io.tlswatch.contract.event.LicenseCheckCode.PROOF_INVALID;
import static io.tlswatch.contract.event.LicenseCheckCode.PROOF_REQUIRED;
import static io.tlswatch.contract.event.LicenseCheckCode.REVOKED;
import static io.tlswatch.contract.event.LicenseCheckCode.SUSPENDED;
import static io.tlswatch.contract.event.LicenseCheckCode.TOO_MANY_MACHINES;
import static io.tlswatch.contract.event.LicenseCheckCode.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LicenseDecisionTest {

    private static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant DURING = Instant.parse("2025-06-01T12:00:00Z");
    private static final String KEY = "TLSW-TESTKEYTESTKEYTESTKEY";
    private static final ProofOutcome DPOP = ProofOutcome.dpop("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
    private static final ProofOutcome BAD_PROOF = ProofOutcome.invalid(ProofKind.DPOP, "htu does not match");
    private static final ProofOutcome NO_PROOF = ProofOutcome.none();

    private final Map<String, LicenseRecord> byKeyHash = new HashMap<>();
    private final LedgerMachines machines = LedgerMachines.over(byKeyHash.values());
    private final LicenseLookup lookup = hash -> Optional.ofNullable(byKeyHash.get(hash));

    private LicenseRecord store(LicenseRecord.Builder builder) {
        LicenseRecord license = builder.build();
        byKeyHash.put(license.keyHash(), license);
        return license;
    }

    private static LicenseRecord.Builder license() {
        return LicenseRecord.builder()
                .time(NOT_BEFORE)
                .source("test@here")
                .licenseId("lic-0042")
                .customer("Acme")
                .plan("enterprise")
                .entitlements(List.of("reporting"))
                .maxMachines(2)
                .notBefore(NOT_BEFORE)
                .notAfter(NOT_AFTER)
                .gracePeriod(Duration.ofHours(72))
                .licenseKey(KEY);
    }

    private LicenseDecision decision(boolean proofRequired) {
        return new LicenseDecision(lookup, new DefaultTerms(Duration.ofHours(24), TokenSettings.DEFAULT_LIFETIME,
                proofRequired), machines.gate());
    }

    @Test
    void anActiveLicenseInItsValidityIsValidAndCountsTheMachine() {
        // given an active license
        LicenseRecord license = store(license());

        // when a client with a valid proof checks during validity
        LicenseVerdict verdict = decision(true).decide(KEY, "client-1", DPOP, DURING);

        // then it is valid, carries the license, and the client now counts as a machine
        assertThat(verdict.code()).isEqualTo(VALID);
        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.license()).isEqualTo(license);
        assertThat(verdict.licenseId()).isEqualTo("lic-0042");
        assertThat(machines.holdsSlot("lic-0042", "client-1")).isTrue();
    }

    @Test
    void anUnknownKeyIsNotFoundWithoutALicense() {
        // given a registry with one license
        store(license());

        // when another key is checked
        LicenseVerdict verdict = decision(true).decide("TLSW-SOMEOTHERKEY", "client-1", DPOP, DURING);

        // then it is NOT_FOUND and names no license
        assertThat(verdict.code()).isEqualTo(LicenseCheckCode.NOT_FOUND);
        assertThat(verdict.license()).isNull();
        assertThat(verdict.licenseId()).isNull();
        assertThat(verdict.valid()).isFalse();
    }

    @Test
    void theValidityIsHalfOpenFromNotBeforeUntilNotAfter() {
        // given an active license
        store(license());
        LicenseDecision decision = decision(false);

        // when checked just before, at and just after its bounds
        // then notBefore is the first valid instant and notAfter the first expired one
        assertThat(decision.decide(KEY, "c", NO_PROOF, NOT_BEFORE.minusMillis(1)).code()).isEqualTo(NOT_YET_VALID);
        assertThat(decision.decide(KEY, "c", NO_PROOF, NOT_BEFORE).code()).isEqualTo(VALID);
        assertThat(decision.decide(KEY, "c", NO_PROOF, NOT_AFTER.minusMillis(1)).code()).isEqualTo(VALID);
        assertThat(decision.decide(KEY, "c", NO_PROOF, NOT_AFTER).code()).isEqualTo(EXPIRED);
    }

    @Test
    void theGracePeriodDoesNotExtendTheLicense() {
        // given a license with 72 hours of grace
        store(license());

        // when checked one hour after notAfter, well inside the grace
        LicenseVerdict verdict = decision(false).decide(KEY, "client-1", NO_PROOF, NOT_AFTER.plus(Duration.ofHours(1)));

        // then it is expired: grace is for the SDK's offline use, not for new tokens
        assertThat(verdict.code()).isEqualTo(EXPIRED);
        assertThat(verdict.license().gracePeriod()).isEqualTo(Duration.ofHours(72));
    }

    @Test
    void aLicenseWithoutNotAfterNeverExpires() {
        // given a perpetual license
        store(license().notAfter(null));

        // when checked a century later
        Instant centuryLater = Instant.parse("2125-01-01T00:00:00Z");
        LicenseVerdict verdict = decision(false).decide(KEY, "client-1", NO_PROOF, centuryLater);

        // then it is valid
        assertThat(verdict.code()).isEqualTo(VALID);
    }

    @Test
    void aNewClientBeyondMaxMachinesIsRefusedWhileACountedOneIsNot() {
        // given a two-machine license used by two clients
        store(license());
        LicenseDecision decision = decision(true);
        decision.decide(KEY, "client-1", DPOP, DURING);
        decision.decide(KEY, "client-2", DPOP, DURING);

        // when a third client checks, then one of the first two
        LicenseVerdict third = decision.decide(KEY, "client-3", DPOP, DURING);
        LicenseVerdict first = decision.decide(KEY, "client-1", DPOP, DURING);

        // then the third is refused with the license, the first is still valid
        assertThat(third.code()).isEqualTo(TOO_MANY_MACHINES);
        assertThat(third.license().licenseId()).isEqualTo("lic-0042");
        assertThat(first.code()).isEqualTo(VALID);
    }

    @Test
    void withoutProofRequiredAClientWithoutProofIsValid() {
        // given an active license and proof not required
        store(license());

        // when a client presents no proof
        LicenseVerdict verdict = decision(false).decide(KEY, "client-1", NO_PROOF, DURING);

        // then it is valid
        assertThat(verdict.code()).isEqualTo(VALID);
    }

    @Test
    void anInvalidProofIsRefusedEvenWhenProofIsNotRequired() {
        // given an active license and proof not required
        store(license());

        // when a client presents a proof that did not verify
        LicenseVerdict verdict = decision(false).decide(KEY, "client-1", BAD_PROOF, DURING);

        // then it is refused: no token may be bound to an unproven key
        assertThat(verdict.code()).isEqualTo(PROOF_INVALID);
    }

    @Test
    void aClientCertificateCountsAsProof() {
        // given an active license and proof required
        store(license());

        // when a client proves possession with its mTLS certificate
        LicenseVerdict verdict = decision(true).decide(KEY, "client-1",
                ProofOutcome.mtls("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"), DURING);

        // then it is valid
        assertThat(verdict.code()).isEqualTo(VALID);
    }

    static Stream<Arguments> precedence() {
        Instant before = NOT_BEFORE.minusSeconds(1);
        Instant after = NOT_AFTER.plusSeconds(1);
        return Stream.of(
                // status beats dates
                arguments("revoked and expired", LicenseRecordStatus.REVOKED, after, BAD_PROOF, REVOKED),
                arguments("revoked, not yet valid", LicenseRecordStatus.REVOKED, before, BAD_PROOF, REVOKED),
                arguments("suspended and expired", LicenseRecordStatus.SUSPENDED, after, BAD_PROOF, SUSPENDED),
                arguments("suspended, not yet valid", LicenseRecordStatus.SUSPENDED, before, NO_PROOF, SUSPENDED),
                arguments("revoked, valid proof", LicenseRecordStatus.REVOKED, DURING, DPOP, REVOKED),
                arguments("suspended, valid proof", LicenseRecordStatus.SUSPENDED, DURING, DPOP, SUSPENDED),
                // dates beat proof
                arguments("expired, invalid proof", LicenseRecordStatus.ACTIVE, after, BAD_PROOF, EXPIRED),
                arguments("expired, no proof", LicenseRecordStatus.ACTIVE, after, NO_PROOF, EXPIRED),
                arguments("not yet valid, invalid proof", LicenseRecordStatus.ACTIVE, before, BAD_PROOF, NOT_YET_VALID),
                arguments("not yet valid, no proof", LicenseRecordStatus.ACTIVE, before, NO_PROOF, NOT_YET_VALID),
                // an invalid proof beats a missing one, and both beat machine counting
                arguments("active, invalid proof, license full", LicenseRecordStatus.ACTIVE, DURING, BAD_PROOF,
                        PROOF_INVALID),
                arguments("active, no proof, license full", LicenseRecordStatus.ACTIVE, DURING, NO_PROOF, PROOF_REQUIRED),
                arguments("active, valid proof, license full", LicenseRecordStatus.ACTIVE, DURING, DPOP,
                        TOO_MANY_MACHINES));
    }

    @ParameterizedTest(name = "{0} -> {4}")
    @MethodSource("precedence")
    void theFirstApplicableCodeWinsAndARefusalNeverTakesAMachineSlot(String situation, LicenseRecordStatus status,
                                                                      Instant at, ProofOutcome proof,
                                                                      LicenseCheckCode expected) {
        // given a one-machine license in that status, already used by another client, and proof required
        store(license().status(status).maxMachines(1));
        machines.activated("lic-0042", "other-client", at);

        // when a new client checks at that time with that proof
        LicenseVerdict verdict = decision(true).decide(KEY, "new-client", proof, at);

        // then the code is the first that applies, and the new client took no slot
        assertThat(verdict.code()).isEqualTo(expected);
        assertThat(verdict.license().licenseId()).isEqualTo("lic-0042");
        assertThat(machines.holdsSlot("lic-0042", "new-client")).isFalse();
    }

    @Test
    void theLicenseRefusalAgreesWithTheRecordsOwnNotionOfActive() {
        // given licenses of every status, with and without an end
        for (LicenseRecordStatus status : LicenseRecordStatus.values()) {
            for (Instant notAfter : new Instant[]{NOT_AFTER, null}) {
                LicenseRecord license = license().status(status).notAfter(notAfter).build();
                // when the decision is asked at instants around the bounds
                for (Instant at : List.of(NOT_BEFORE.minusMillis(1), NOT_BEFORE, DURING, NOT_AFTER.minusMillis(1),
                        NOT_AFTER, NOT_AFTER.plusMillis(1))) {
                    // then it refuses exactly when LicenseRecord.activeAt says the license is not active
                    assertThat(LicenseDecision.licenseRefusal(license, at) == null)
                            .as("%s %s at %s", status, notAfter, at)
                            .isEqualTo(license.activeAt(at));
                }
            }
        }
    }

    @Test
    void aBlankKeyOrClientIdIsTheCallersErrorNotACode() {
        LicenseDecision decision = decision(true);
        assertThatThrownBy(() -> decision.decide(" ", "client-1", DPOP, DURING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("licenseKey");
        assertThatThrownBy(() -> decision.decide(KEY, "", DPOP, DURING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientId");
    }
}
