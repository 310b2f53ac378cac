package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.PolicyRecord;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The policies the admin API reads: a follower of {@code tlswatch.policies.v1} (the validator's policy table, the
 * same one its terms resolver reads).
 */
public interface PolicyDirectory {

    Optional<PolicyRecord> get(String policyId);

    Collection<PolicyRecord> all();

    /** Waits until the follower has applied the record written at {@code written}; false on timeout. */
    boolean awaitApplied(AdminWrites.Written written, Duration timeout) throws InterruptedException;
}
