package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.MachineRecord;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A machine log that folds every row into its ledger at once: one replica, no broker. For tests. */
public final class InMemoryMachineLog implements MachineLog {

    private final MachineLedger ledger;
    private long offset;

    public InMemoryMachineLog(MachineLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public synchronized CompletableFuture<Position> write(MachineRecord row) {
        ledger.apply(row.key(), row);
        return CompletableFuture.completedFuture(new Position(0, offset++));
    }

    @Override
    public boolean awaitApplied(Position position, Duration timeout) {
        return true;
    }
}
