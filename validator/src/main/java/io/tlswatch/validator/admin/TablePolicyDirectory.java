package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.PolicyRecord;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/** {@link PolicyDirectory} over the policy table. */
public final class TablePolicyDirectory implements PolicyDirectory {

    private final TableReads<PolicyRecord> table;

    public TablePolicyDirectory(TableReads<PolicyRecord> table) {
        this.table = table;
    }

    @Override
    public Optional<PolicyRecord> get(String policyId) {
        return table.get().apply(policyId);
    }

    @Override
    public Collection<PolicyRecord> all() {
        return table.values().get();
    }

    @Override
    public boolean awaitApplied(AdminWrites.Written written, Duration timeout) throws InterruptedException {
        return table.applied().awaitApplied(written.partition(), written.offset(), timeout);
    }
}
