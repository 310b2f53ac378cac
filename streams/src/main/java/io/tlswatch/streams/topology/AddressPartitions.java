package io.tlswatch.streams.topology;

import io.tlswatch.streams.names.Names;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How many partitions the {@code by-address} repartition topic has: as many as the handshakes topic. Handshakes
 * reach attribution from their own topic, checks and reports through {@code by-address}, and one attribution task
 * reads partition p of both; an address lands on the same p in both only when the counts are equal (both are
 * partitioned by the key's hash modulo the count). Kafka Streams does not enforce this for a merge (only for
 * joins), so the job asks at start and refuses to run against a {@code by-address} topic left from an earlier
 * layout with another count.
 *
 * @param handshakesTopic the handshakes topic as deployed
 * @param byAddressTopic  the job's {@code by-address} repartition topic
 */
public record AddressPartitions(String handshakesTopic, String byAddressTopic) {

    public static AddressPartitions of(String applicationId, String handshakesTopic) {
        return new AddressPartitions(handshakesTopic, Names.repartitionTopic(applicationId, Names.BY_ADDRESS));
    }

    /**
     * @return the partition count {@code by-address} must have
     * @throws IllegalStateException when {@code by-address} exists with another count than the handshakes topic
     *                               (naming both, their counts and the key to change), or Kafka does not answer
     */
    public int ask(Admin admin, Duration timeout) {
        int handshakes = partitions(admin, handshakesTopic, timeout).orElseThrow(() ->
                new IllegalStateException("topic " + handshakesTopic + " is missing"));
        return decide(handshakes, partitions(admin, byAddressTopic, timeout));
    }

    /**
     * @param handshakes the handshakes topic's partition count
     * @param byAddress  the {@code by-address} topic's, empty when Kafka Streams has not created it yet
     */
    public int decide(int handshakes, OptionalInt byAddress) {
        if (byAddress.isPresent() && byAddress.getAsInt() != handshakes) {
            throw new IllegalStateException("topic " + byAddressTopic + " has " + byAddress.getAsInt()
                    + " partitions but " + handshakesTopic + " has " + handshakes + ": handshakes go to attribution"
                    + " without a repartition, so both need the same count; give streams.applicationId a new value"
                    + " (new internal topics, state rebuilt from the inputs) or reset this application id"
                    + " (docs/streams.md, \"Upgrading\")");
        }
        return handshakes;
    }

    private static OptionalInt partitions(Admin admin, String topic, Duration timeout) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return OptionalInt.of(description.partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return OptionalInt.empty();
            }
            throw new IllegalStateException("describing topic " + topic + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe topic " + topic + " within " + timeout, e);
        }
    }
}
