package io.tlswatch.validator.machine;

import io.tlswatch.contract.event.MachineRecord;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Where machine rows are written and followed: {@code tlswatch.machines.v1} ({@link MachineRegistry}). */
public interface MachineLog {

    /** Where a written row landed. */
    record Position(int partition, long offset) {
    }

    /**
     * Writes {@code row} to the partition of its license.
     *
     * @return completes with the row's position once every in-sync replica has it, or exceptionally
     */
    CompletableFuture<Position> write(MachineRecord row);

    /** Waits until the row at {@code position} has been folded into the ledger; {@code false} on timeout. */
    boolean awaitApplied(Position position, Duration timeout) throws InterruptedException;
}
