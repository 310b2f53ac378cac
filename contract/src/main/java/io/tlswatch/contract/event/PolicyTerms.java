package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Duration;
import java.util.List;

/**
 * The terms a policy gives its licenses (docs/licenses.md, "Policies"). Every field is optional: in a
 * {@link PolicyRecord} an absent term falls back to the validator's default, and in a license's
 * {@link LicenseRecord#overrides() overrides} an absent term falls back to the policy. The resolution order is
 * license override, then policy, then validator default.
 *
 * @param maxMachines       how many machines may use a license at once, at least 1
 * @param machineWindow     how long a machine that sends no heartbeats keeps its slot after its last check
 * @param heartbeatInterval how often a machine must send a heartbeat; absent means heartbeats are not required
 * @param heartbeatLapse    what happens to a machine whose heartbeat is overdue
 * @param tokenLifetime     how long an entitlement token is valid
 * @param offlineGrace      how long a client may keep working offline past its token's expiry
 * @param proofRequired     whether a check without proof of possession is refused
 * @param activation        whether a machine is activated by its first valid check or only explicitly
 * @param allowedScopes     the entitlements a check may ask to be scoped to; absent means any of the license's
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyTerms(
        Integer maxMachines,
        Duration machineWindow,
        Duration heartbeatInterval,
        HeartbeatLapse heartbeatLapse,
        Duration tokenLifetime,
        Duration offlineGrace,
        Boolean proofRequired,
        MachineActivation activation,
        List<String> allowedScopes) {

    /** No term set: everything falls back. */
    public static final PolicyTerms NONE = new PolicyTerms(null, null, null, null, null, null, null, null, null);

    public PolicyTerms {
        if (maxMachines != null && maxMachines < 1) {
            throw new IllegalArgumentException("field 'maxMachines' must be at least 1, was " + maxMachines);
        }
        positive("machineWindow", machineWindow);
        positive("heartbeatInterval", heartbeatInterval);
        positive("tokenLifetime", tokenLifetime);
        if (offlineGrace != null && offlineGrace.isNegative()) {
            throw new IllegalArgumentException("field 'offlineGrace' must not be negative, was " + offlineGrace);
        }
        allowedScopes = allowedScopes == null ? null : Fields.list("allowedScopes", allowedScopes);
    }

    private static void positive(String field, Duration value) {
        if (value != null && (value.isNegative() || value.isZero())) {
            throw new IllegalArgumentException("field '" + field + "' must be positive, was " + value);
        }
    }

    /** These terms where set, else {@code fallback}'s: one step of the resolution order. */
    public PolicyTerms over(PolicyTerms fallback) {
        if (fallback == null) {
            return this;
        }
        return new PolicyTerms(
                maxMachines != null ? maxMachines : fallback.maxMachines,
                machineWindow != null ? machineWindow : fallback.machineWindow,
                heartbeatInterval != null ? heartbeatInterval : fallback.heartbeatInterval,
                heartbeatLapse != null ? heartbeatLapse : fallback.heartbeatLapse,
                tokenLifetime != null ? tokenLifetime : fallback.tokenLifetime,
                offlineGrace != null ? offlineGrace : fallback.offlineGrace,
                proofRequired != null ? proofRequired : fallback.proofRequired,
                activation != null ? activation : fallback.activation,
                allowedScopes != null ? allowedScopes : fallback.allowedScopes);
    }
}
