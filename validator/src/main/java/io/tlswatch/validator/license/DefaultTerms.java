package io.tlswatch.validator.license;

import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineActivation;

import java.time.Duration;
import java.util.Objects;

/**
 * The terms of a license without a policy: the validator's defaults, with the license's own {@code maxMachines}
 * and {@code gracePeriod}, then the license's overrides.
 */
public final class DefaultTerms implements TermsResolver {

    private final Duration machineWindow;
    private final Duration tokenLifetime;
    private final boolean proofRequired;

    public DefaultTerms(Duration machineWindow, Duration tokenLifetime, boolean proofRequired) {
        this.machineWindow = Objects.requireNonNull(machineWindow, "machineWindow");
        this.tokenLifetime = Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        this.proofRequired = proofRequired;
    }

    /** What a license gets from the validator alone, before any policy or override. */
    public EffectiveTerms base(LicenseRecord license) {
        return new EffectiveTerms(license.maxMachines(), machineWindow, null, HeartbeatLapse.DEACTIVATE,
                tokenLifetime, license.gracePeriod(), proofRequired, MachineActivation.ON_CHECK, null);
    }

    @Override
    public EffectiveTerms termsFor(LicenseRecord license) {
        return base(license).with(license.overrides());
    }
}
