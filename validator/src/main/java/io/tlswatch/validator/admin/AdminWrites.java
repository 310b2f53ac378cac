package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.topic.Deletion;
import io.tlswatch.contract.topic.Topic;

/**
 * Where the admin API's changes go: written with acks=all and confirmed before the call returns, so that an
 * answer of "done" means the change is in Kafka. Thread-safe.
 */
public interface AdminWrites {

    /** Where a write landed: the table follower applies it at this position. */
    record Written(int partition, long offset) {
    }

    /**
     * Writes {@code value} (null: a tombstone) under {@code key}.
     *
     * @param partition the partition, or null for the default partitioner's choice
     * @throws AdminError 503 {@code kafka_unavailable} when the write is not confirmed in time
     */
    <V extends Event> Written write(Topic<String, V> topic, String key, V value, Integer partition);

    /**
     * Writes a tombstone under {@code key} carrying who deleted it and why as record headers.
     *
     * @throws AdminError 503 {@code kafka_unavailable} when the write is not confirmed in time
     */
    Written delete(Topic<String, ?> topic, String key, Deletion deletion);

    /** How many partitions {@code topic} has (the machines topic's rows go to their license's partition). */
    int partitions(Topic<String, ?> topic);
}
