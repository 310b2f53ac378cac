package io.tlswatch.validator.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.validator.api.OncePerWindow;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.license.EffectiveTerms;
import io.tlswatch.validator.license.TermsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The terms of a license with policies: its overrides, then its policy's terms, then the validator's defaults
 * with the license's own {@code maxMachines} and {@code gracePeriod} ({@link DefaultTerms#base}). Resolved at
 * every check, so a policy changed on the topic applies to the next check of every license naming it.
 *
 * <p>A license naming a policy the registry does not hold (deleted, mistyped, or not yet arrived) is held to the
 * validator's defaults and its own overrides, as a license without a policy is, rather than refused: the license
 * itself is valid and paid for, and refusing would turn an operator's slip into an outage for its customers.
 * Each such check counts in {@code tlswatch.policies.missing}, and the policy id is logged once a minute.
 */
public final class PolicyTermsResolver implements TermsResolver {

    private static final Logger log = LoggerFactory.getLogger(PolicyTermsResolver.class);
    private static final Duration LOG_WINDOW = Duration.ofMinutes(1);
    /** Distinct missing policy ids logged per window; more are only counted. */
    private static final int LOG_CAPACITY = 100;

    private final DefaultTerms defaults;
    private final PolicyLookup policies;
    private final Counter missing;
    private final OncePerWindow<String> logged;

    public PolicyTermsResolver(DefaultTerms defaults, PolicyLookup policies, MeterRegistry meters, Clock clock) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.missing = Counter.builder("tlswatch.policies.missing")
                .description("checks of a license naming a policy that does not exist, held to the defaults")
                .register(meters);
        this.logged = new OncePerWindow<>(LOG_WINDOW, LOG_CAPACITY, clock);
    }

    @Override
    public EffectiveTerms termsFor(LicenseRecord license) {
        EffectiveTerms terms = defaults.base(license);
        String policyId = license.policyId();
        if (policyId != null) {
            Optional<PolicyRecord> policy = policies.byId(policyId);
            if (policy.isPresent()) {
                terms = terms.with(policy.get().terms());
            } else {
                missing.increment();
                if (logged.tryAcquire(policyId) == OncePerWindow.Outcome.ALLOWED) {
                    log.warn("License {} names policy {}, which does not exist: it is held to the validator's "
                            + "defaults and its overrides until the policy is written", license.licenseId(), policyId);
                }
            }
        }
        return terms.with(license.overrides());
    }
}
