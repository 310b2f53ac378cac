package io.tlswatch.contract.topic;

import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;

/**
 * The partition of {@code tlswatch.machines.v1} every row of one license goes to: the one Kafka's default
 * partitioner would pick for the license id as key. Every writer (each validator replica, the admin API) must use
 * it, so that all rows of a license stay in one order (docs/events.md).
 */
public final class LicensePartition {

    private LicensePartition() {
    }

    public static int of(String licenseId, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(licenseId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
