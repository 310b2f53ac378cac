package io.tlswatch.validator.policy;

import io.tlswatch.contract.event.PolicyRecord;

import java.util.Optional;

/** Finds a policy by its id, as the registry holds it now. Thread-safe. */
@FunctionalInterface
public interface PolicyLookup {

    Optional<PolicyRecord> byId(String policyId);
}
