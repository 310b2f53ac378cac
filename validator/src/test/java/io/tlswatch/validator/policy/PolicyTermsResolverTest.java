package io.tlswatch.validator.policy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.testing.MutableClock;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.license.EffectiveTerms;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyTermsResolverTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final DefaultTerms DEFAULTS = new DefaultTerms(Duration.ofHours(1), Duration.ofMinutes(15), false);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Map<String, PolicyRecord> policies = new HashMap<>();
    private final PolicyTermsResolver resolver = new PolicyTermsResolver(DEFAULTS,
            id -> Optional.ofNullable(policies.get(id)), meters, new MutableClock(NOW));

    private static LicenseRecord.Builder license() {
        return LicenseRecord.builder()
                .time(NOW)
                .source("test@here")
                .licenseId("lic-1")
                .customer("Acme")
                .plan("pro")
                .entitlements(List.of("reporting"))
                .maxMachines(3)
                .notBefore(NOW.minusSeconds(60))
                .gracePeriod(Duration.ofHours(72))
                .licenseKey("TLSW-RESOLVERTESTKEY");
    }

    private void policy(String id, PolicyTerms terms) {
        policies.put(id, PolicyRecord.of(NOW, "test@here", id, id, terms, null, null));
    }

    private double missing() {
        return meters.get("tlswatch.policies.missing").counter().count();
    }

    @Test
    void aLicenseWithoutAPolicyGetsTheDefaultsWithItsOwnMachinesAndGrace() {
        // when
        EffectiveTerms terms = resolver.termsFor(license().build());

        // then
        assertThat(terms).isEqualTo(new EffectiveTerms(3, Duration.ofHours(1), null, HeartbeatLapse.DEACTIVATE,
                Duration.ofMinutes(15), Duration.ofHours(72), false, MachineActivation.ON_CHECK, null));
        assertThat(missing()).isZero();
    }

    @Test
    void aPolicysTermsWinOverTheDefaultsAndTheLicensesOwnFields() {
        // given a policy setting every term
        policy("floating-5", new PolicyTerms(5, Duration.ofHours(2), Duration.ofMinutes(10), HeartbeatLapse.KEEP,
                Duration.ofMinutes(5), Duration.ofDays(7), true, MachineActivation.EXPLICIT, List.of("reporting")));

        // when a license naming it is resolved
        EffectiveTerms terms = resolver.termsFor(license().policyId("floating-5").build());

        // then every term is the policy's
        assertThat(terms).isEqualTo(new EffectiveTerms(5, Duration.ofHours(2), Duration.ofMinutes(10),
                HeartbeatLapse.KEEP, Duration.ofMinutes(5), Duration.ofDays(7), true, MachineActivation.EXPLICIT,
                List.of("reporting")));
    }

    @Test
    void aPolicysAbsentTermsFallBackToTheDefaults() {
        // given a policy setting only the token lifetime
        policy("short-tokens", new PolicyTerms(null, null, null, null, Duration.ofMinutes(2), null, null, null, null));

        // when
        EffectiveTerms terms = resolver.termsFor(license().policyId("short-tokens").build());

        // then that term is the policy's and every other the default (or the license's own)
        assertThat(terms.tokenLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(terms.maxMachines()).isEqualTo(3);
        assertThat(terms.offlineGrace()).isEqualTo(Duration.ofHours(72));
        assertThat(terms.proofRequired()).isFalse();
    }

    @Test
    void aLicensesOverridesWinOverItsPolicy() {
        // given a policy requiring proof with 5-minute tokens, and a license overriding proof and machines
        policy("strict", new PolicyTerms(1, null, null, null, Duration.ofMinutes(5), null, true, null, null));
        LicenseRecord license = license().policyId("strict")
                .overrides(new PolicyTerms(10, null, null, null, null, null, false, null, null)).build();

        // when
        EffectiveTerms terms = resolver.termsFor(license);

        // then the overrides win, and the policy still sets what they leave out
        assertThat(terms.maxMachines()).isEqualTo(10);
        assertThat(terms.proofRequired()).isFalse();
        assertThat(terms.tokenLifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aPolicyChangedInTheRegistryAppliesToTheNextResolution() {
        // given a license resolved under its policy
        policy("p", new PolicyTerms(null, null, null, null, null, null, false, null, null));
        LicenseRecord license = license().policyId("p").build();
        assertThat(resolver.termsFor(license).proofRequired()).isFalse();

        // when the policy changes
        policy("p", new PolicyTerms(null, null, null, null, null, null, true, null, null));

        // then the next resolution uses the new terms
        assertThat(resolver.termsFor(license).proofRequired()).isTrue();
    }

    @Test
    void aMissingPolicyFallsBackToTheDefaultsAndTheOverridesAndIsCounted() {
        // given a license naming a policy that does not exist, with an override
        LicenseRecord license = license().policyId("gone")
                .overrides(new PolicyTerms(null, null, null, null, Duration.ofMinutes(1), null, null, null, null))
                .build();

        // when it is resolved twice
        EffectiveTerms first = resolver.termsFor(license);
        resolver.termsFor(license);

        // then it gets the defaults with its own fields and overrides, and each resolution is counted
        assertThat(first).isEqualTo(DEFAULTS.base(license).with(license.overrides()));
        assertThat(first.tokenLifetime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(missing()).isEqualTo(2.0);
    }

    @Test
    void theMissingPolicyCounterIsRegisteredAtStart() {
        // then before any resolution
        assertThat(missing()).isZero();
    }
}
