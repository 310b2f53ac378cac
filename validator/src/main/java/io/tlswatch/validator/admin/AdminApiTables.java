package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.AdminTokenRecord;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.tlsserver.host.TlsServiceHost;
import io.tlswatch.validator.license.LicenseRegistry;
import io.tlswatch.validator.machine.MachineLedger;
import io.tlswatch.validator.table.CompactedTable;
import io.tlswatch.validator.table.TableListener;

import java.time.Duration;

/**
 * What the admin API reads: the validator's own license registry, policy table and machine ledger, and the admin
 * tokens, which only the admin API needs and so only it follows.
 */
public final class AdminApiTables {

    private AdminApiTables() {
    }

    /**
     * Starts following the admin tokens and waits, up to {@code startupTimeout}, until every token that existed is
     * read; the host closes the table.
     */
    public static AdminApiListener.Tables open(TlsServiceHost host, KafkaSettings kafka, LicenseRegistry licenses,
                                               CompactedTable<PolicyRecord> policies, MachineLedger machines,
                                               Duration startupTimeout) {
        CompactedTable<AdminTokenRecord> tokens = new CompactedTable<>(kafka,
                kafka.topics().named(Topics.ADMIN_TOKENS), "admin-tokens", host.meters(),
                TableListener.none());
        host.closes("admin-tokens table", limit -> tokens.close(limit));
        tokens.start();
        try {
            tokens.awaitCaughtUp(startupTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the admin tokens", e);
        }
        return new AdminApiListener.Tables(licenses, reads(tokens), new TablePolicyDirectory(reads(policies)),
                new LedgerMachineDirectory(machines));
    }

    private static <V extends Event> TableReads<V> reads(CompactedTable<V> table) {
        return new TableReads<>(table::get, table::values, table::awaitApplied);
    }
}
