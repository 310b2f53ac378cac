package io.tlswatch.validator.table;

/**
 * Told of each row once a {@link CompactedTable} holds it: on the follower thread, in offset order per partition.
 * It must be quick; it delays every row after it.
 *
 * @param <V> the row type
 */
@FunctionalInterface
public interface TableListener<V> {

    /** The row ({@code null} for a deletion) under {@code key} is now in the table. */
    void applied(String key, V row, int partition, long offset);

    static <V> TableListener<V> none() {
        return (key, row, partition, offset) -> {
        };
    }
}
