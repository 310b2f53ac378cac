package io.tlswatch.validator.license;

import io.tlswatch.contract.event.HeartbeatLapse;
import io.tlswatch.contract.event.MachineActivation;
import io.tlswatch.contract.event.PolicyTerms;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The terms one license is held to, every one resolved: the license's overrides, then its policy's terms, then
 * the validator's defaults (docs/licenses.md, "Policies").
 *
 * @param heartbeatInterval {@code null} when heartbeats are not required
 * @param allowedScopes     {@code null} when any of the license's entitlements may be asked for
 */
public record EffectiveTerms(
        int maxMachines,
        Duration machineWindow,
        Duration heartbeatInterval,
        HeartbeatLapse heartbeatLapse,
        Duration tokenLifetime,
        Duration offlineGrace,
        boolean proofRequired,
        MachineActivation activation,
        List<String> allowedScopes) {

    public EffectiveTerms {
        if (maxMachines < 1) {
            throw new IllegalArgumentException("maxMachines must be at least 1, was " + maxMachines);
        }
        Objects.requireNonNull(machineWindow, "machineWindow");
        Objects.requireNonNull(heartbeatLapse, "heartbeatLapse");
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        Objects.requireNonNull(offlineGrace, "offlineGrace");
        Objects.requireNonNull(activation, "activation");
        allowedScopes = allowedScopes == null ? null : List.copyOf(allowedScopes);
    }

    /** Whether machines of this license must send heartbeats. */
    public boolean heartbeatsRequired() {
        return heartbeatInterval != null;
    }

    /**
     * These terms with every term {@code terms} sets replaced: how an override or a policy is applied over what
     * lies below it.
     */
    public EffectiveTerms with(PolicyTerms terms) {
        if (terms == null) {
            return this;
        }
        return new EffectiveTerms(
                terms.maxMachines() != null ? terms.maxMachines() : maxMachines,
                terms.machineWindow() != null ? terms.machineWindow() : machineWindow,
                terms.heartbeatInterval() != null ? terms.heartbeatInterval() : heartbeatInterval,
                terms.heartbeatLapse() != null ? terms.heartbeatLapse() : heartbeatLapse,
                terms.tokenLifetime() != null ? terms.tokenLifetime() : tokenLifetime,
                terms.offlineGrace() != null ? terms.offlineGrace() : offlineGrace,
                terms.proofRequired() != null ? terms.proofRequired() : proofRequired,
                terms.activation() != null ? terms.activation() : activation,
                terms.allowedScopes() != null ? terms.allowedScopes() : allowedScopes);
    }
}
