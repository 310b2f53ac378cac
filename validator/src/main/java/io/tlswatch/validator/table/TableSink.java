package io.tlswatch.validator.table;

/**
 * Where a {@link TableReader} puts what it reads, on the reading thread, in offset order per partition.
 *
 * @param <V> the row type
 */
public interface TableSink<V> {

    /** A row ({@code null} for a tombstone) read at {@code partition}/{@code offset}; its key is its row's key. */
    void apply(String key, V row, int partition, long offset);

    /** A record that cannot be used was skipped (and logged) at {@code partition}/{@code offset}. */
    void skipped(int partition, long offset);
}
