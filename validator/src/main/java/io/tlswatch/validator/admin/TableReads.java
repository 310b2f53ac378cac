package io.tlswatch.validator.admin;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the admin API reads of a compacted-table follower ({@code CompactedTable}): rows by key, every row, and
 * waiting for a write to be applied. Given as method references, so that any follower fits.
 */
public record TableReads<V>(Function<String, Optional<V>> get, Supplier<Collection<V>> values, Applied applied) {

    /** {@code CompactedTable.awaitApplied}. */
    @FunctionalInterface
    public interface Applied {
        boolean awaitApplied(int partition, long offset, Duration timeout) throws InterruptedException;
    }
}
