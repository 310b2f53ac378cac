package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One policy: a row of the compacted table {@code tlswatch.policies.v1}, keyed by the policy id. Licenses name a
 * policy ({@link LicenseRecord#policyId()}) and inherit its terms (docs/licenses.md, "Policies"). Each change is
 * a whole new row; a {@code null} value deletes the policy.
 *
 * @param policyId the policy's id
 * @param name     a name people read, e.g. "floating-5"
 * @param terms    the terms; absent ones fall back to the validator's defaults
 * @param operator who made this change (an admin token's name, or the CLI's {@code user@host}); optional
 * @param reason   why, as the operator gave it; optional
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PolicyRecord(
        String type,
        String id,
        java.time.Instant time,
        String source,
        String policyId,
        String name,
        PolicyTerms terms,
        String operator,
        String reason) implements Event {

    public static final String TYPE = "tlswatch.policy/1";

    public PolicyRecord {
        Fields.envelope(TYPE, type, id, time, source);
        time = Fields.millis(time);
        Fields.text("policyId", policyId);
        Fields.text("name", name);
        terms = terms == null ? PolicyTerms.NONE : terms;
        Fields.optionalText("operator", operator);
        Fields.optionalText("reason", reason);
    }

    /** A new row of a policy, written at {@code time} by {@code source}. */
    public static PolicyRecord of(java.time.Instant time, String source, String policyId, String name,
                                  PolicyTerms terms, String operator, String reason) {
        return new PolicyRecord(TYPE, Fields.newId(), time, source, policyId, name, terms, operator, reason);
    }

    @Override
    public String key() {
        return policyId;
    }
}
