package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.validator.machine.LedgerMachines;
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

import static io.tlswatch.contract.event.LicenseCheckCode.ENTITLEMENTS_MISSING;
import static io.tlswatch.contract.event.LicenseCheckCode.EXPIRED;
import static io.tlswatch.contract.event.LicenseCheckCode.PROOF_INVALID;
import static io.tlswatch.contract.event.LicenseCheckCode.PROOF_REQUIRED;
import static io.tlswatch.contract.event.LicenseCheckCode.REVOKED;
import static io.tlswatch.contract.event.LicenseCheckCode.TOO_MANY_MACHINES;
import static io.tlswatch.contract.event.LicenseCheckCode.VALID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The decision held to a license's resolved terms: requested entitlements, allowed scopes, proof required. */
class LicenseDecisionTermsTest {

    private static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOT_AFTER = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant DURING = Instant.parse("2025-06-01T12:00:00Z");
    private static final String KEY = "TLSW-TESTKEYTESTKEYTESTKEY";
    private static final ProofOutcome DPOP = ProofOutcome.dpop("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
    private static final ProofOutcome BAD_PROOF = ProofOutcome.invalid(ProofKind.DPOP, "htu does not match");
    private static final ProofOutcome NO_PROOF = ProofOutcome.none();
    private static final DefaultTerms DEFAULTS = new DefaultTerms(Duration.ofHours(1), Duration.ofMinutes(15), false);

    private final Map<String, LicenseRecord> byKeyHash = new HashMap<>();
    private final LedgerMachines machines = LedgerMachines.over(byKeyHash.values());
    private final LicenseLookup lookup = hash -> Optional.ofNullable(byKeyHash.get(hash));

    private void store(LicenseRecord.Builder builder) {
        LicenseRecord license = builder.build();
        byKeyHash.put(license.keyHash(), license);
    }

    private static LicenseRecord.Builder license() {
        return LicenseRecord.builder()
                .time(NOT_BEFORE)
                .source("test@here")
                .licenseId("lic-0042")
                .customer("Acme")
                .plan("enterprise")
                .entitlements(List.of("reporting", "export", "api"))
                .maxMachines(2)
                .notBefore(NOT_BEFORE)
                .notAfter(NOT_AFTER)
                .gracePeriod(Duration.ofHours(72))
                .licenseKey(KEY);
    }

    /** A decision whose every license is held to {@code policy} over the defaults, then its own overrides. */
    private LicenseDecision decision(PolicyTerms policy) {
        TermsResolver terms = license -> DEFAULTS.base(license).with(policy).with(license.overrides());
        return new LicenseDecision(lookup, terms, machines.gate());
    }

    private static PolicyTerms scopes(List<String> allowedScopes) {
        return new PolicyTerms(null, null, null, null, null, null, null, null, allowedScopes);
    }

    private static PolicyTerms proofRequired(boolean required) {
        return new PolicyTerms(null, null, null, null, null, null, required, null, null);
    }

    @Test
    void askingForSomeOfTheLicensesEntitlementsIsValid() {
        // given a license with three entitlements
        store(license());

        // when a client asks for two of them
        LicenseVerdict verdict = decision(PolicyTerms.NONE).decide(KEY, "client-1", List.of("api", "reporting"),
                DPOP, DURING);

        // then it is valid and the token would carry exactly those, in the license's order
        assertThat(verdict.code()).isEqualTo(VALID);
        assertThat(EntitlementScope.granted(verdict.license(), List.of("api", "reporting")))
                .containsExactly("reporting", "api");
    }

    @Test
    void askingForNothingInParticularGrantsAllOfTheLicensesEntitlements() {
        // given a license whose policy allows asking only for "reporting"
        store(license());

        // when a client asks for nothing in particular
        LicenseVerdict verdict = decision(scopes(List.of("reporting"))).decide(KEY, "client-1", null, DPOP, DURING);

        // then it is valid with every entitlement of the license
        assertThat(verdict.code()).isEqualTo(VALID);
        assertThat(EntitlementScope.granted(verdict.license(), null)).containsExactly("reporting", "export", "api");
    }

    @Test
    void askingForAnEntitlementTheLicenseLacksIsEntitlementsMissingAndTakesNoSlot() {
        // given a license without "admin"
        store(license());

        // when a client asks for "reporting" and "admin"
        LicenseVerdict verdict = decision(PolicyTerms.NONE).decide(KEY, "client-1", List.of("reporting", "admin"),
                DPOP, DURING);

        // then it is refused, and the client is not counted as a machine
        assertThat(verdict.code()).isEqualTo(ENTITLEMENTS_MISSING);
        assertThat(verdict.license().licenseId()).isEqualTo("lic-0042");
        assertThat(machines.holdsSlot("lic-0042", "client-1")).isFalse();
    }

    @Test
    void askingForAnEntitlementThePolicysScopesExcludeIsEntitlementsMissing() {
        // given a license with "export", whose policy allows asking only for "reporting" and "api"
        store(license());
        LicenseDecision decision = decision(scopes(List.of("reporting", "api")));

        // when a client asks for "export", then another for "api"
        LicenseVerdict export = decision.decide(KEY, "client-1", List.of("export"), DPOP, DURING);
        LicenseVerdict api = decision.decide(KEY, "client-2", List.of("api"), DPOP, DURING);

        // then only the allowed scope is granted
        assertThat(export.code()).isEqualTo(ENTITLEMENTS_MISSING);
        assertThat(api.code()).isEqualTo(VALID);
    }

    @Test
    void aPolicyRequiringProofRefusesAClientWithoutProof() {
        // given validator defaults that do not require proof, and a policy that does
        store(license());

        // when a client presents no proof
        LicenseVerdict verdict = decision(proofRequired(true)).decide(KEY, "client-1", NO_PROOF, DURING);

        // then it is refused, and the verdict carries the resolved terms
        assertThat(verdict.code()).isEqualTo(PROOF_REQUIRED);
        assertThat(verdict.terms().proofRequired()).isTrue();
    }

    @Test
    void aLicenseOverrideWinsOverItsPolicy() {
        // given a policy requiring proof, and a license overriding that
        store(license().overrides(proofRequired(false)));

        // when a client presents no proof
        LicenseVerdict verdict = decision(proofRequired(true)).decide(KEY, "client-1", NO_PROOF, DURING);

        // then it is valid
        assertThat(verdict.code()).isEqualTo(VALID);
        assertThat(verdict.terms().proofRequired()).isFalse();
    }

    static Stream<Arguments> precedence() {
        List<String> lacking = List.of("admin");
        return Stream.of(
                // license facts beat the entitlements asked for
                arguments("revoked, asking for what it lacks", LicenseRecordStatus.REVOKED, DURING, lacking, DPOP,
                        REVOKED),
                arguments("expired, asking for what it lacks", LicenseRecordStatus.ACTIVE, NOT_AFTER.plusSeconds(1),
                        lacking, DPOP, EXPIRED),
                // the entitlements asked for beat every proof and machine fact
                arguments("invalid proof, asking for what it lacks", LicenseRecordStatus.ACTIVE, DURING, lacking,
                        BAD_PROOF, ENTITLEMENTS_MISSING),
                arguments("no proof, asking for what it lacks", LicenseRecordStatus.ACTIVE, DURING, lacking, NO_PROOF,
                        ENTITLEMENTS_MISSING),
                arguments("license full, asking for what it lacks", LicenseRecordStatus.ACTIVE, DURING, lacking, DPOP,
                        ENTITLEMENTS_MISSING),
                // asking for what it has changes nothing below
                arguments("invalid proof, asking for what it has", LicenseRecordStatus.ACTIVE, DURING,
                        List.of("api"), BAD_PROOF, PROOF_INVALID),
                arguments("license full, asking for what it has", LicenseRecordStatus.ACTIVE, DURING,
                        List.of("api"), DPOP, TOO_MANY_MACHINES));
    }

    @ParameterizedTest(name = "{0} -> {5}")
    @MethodSource("precedence")
    void entitlementsMissingComesAfterTheLicenseFactsAndBeforeProofAndMachines(
            String situation, LicenseRecordStatus status, Instant at, List<String> asked, ProofOutcome proof,
            LicenseCheckCode expected) {
        // given a one-machine license in that status, already used by another client, and a policy requiring proof
        store(license().status(status).maxMachines(1));
        machines.activated("lic-0042", "other-client", at);

        // when a new client checks at that time, asking for those entitlements with that proof
        LicenseVerdict verdict = decision(proofRequired(true)).decide(KEY, "new-client", asked, proof, at);

        // then the code is the first that applies, and the new client took no slot
        assertThat(verdict.code()).isEqualTo(expected);
        assertThat(machines.holdsSlot("lic-0042", "new-client")).isFalse();
    }
}
