package io.tlswatch.launcher.outage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where the validator's events went once the load stopped: into their topics, or counted as dropped by its meters.
 * The figures are read once every license check's event was acknowledged by Kafka or dropped.
 */
final class ValidatorDelivery {

    private final MeterRegistry meters;
    private final int emittedChecks;
    private final Map<String, Integer> deliveredChecks;
    private final long droppedChecks;
    private final long droppedHandshakes;
    private final Map<String, Integer> failuresByAddress;

    private ValidatorDelivery(MeterRegistry meters, int emittedChecks, Map<String, Integer> deliveredChecks,
                              long droppedChecks, long droppedHandshakes, Map<String, Integer> failuresByAddress) {
        this.meters = meters;
        this.emittedChecks = emittedChecks;
        this.deliveredChecks = deliveredChecks;
        this.droppedChecks = droppedChecks;
        this.droppedHandshakes = droppedHandshakes;
        this.failuresByAddress = failuresByAddress;
    }

    /** Waits until each check counted by {@code truth} was published or dropped, then reads the topics. */
    static ValidatorDelivery awaited(MeterRegistry meters, GroundTruth truth, TopicReads reads, Duration limit) {
        int emitted = truth.checks();
        await().atMost(limit).until(() -> published(meters, Topics.LICENSE_CHECKS)
                + dropped(meters, Topics.LICENSE_CHECKS) >= emitted
                && meters.get("tlswatch.events.buffered").gauge().value() == 0);
        long droppedChecks = Math.round(dropped(meters, Topics.LICENSE_CHECKS));
        long droppedHandshakes = Math.round(dropped(meters, Topics.HANDSHAKES));
        Map<String, Integer> delivered = reads.count(Topics.LICENSE_CHECKS, LicenseCheckEvent::clientId);
        Map<String, Integer> failures = new HashMap<>();
        reads.readAll(Topics.HANDSHAKES, e -> {
            if (e.outcome() == HandshakeOutcome.FAILURE) {
                failures.merge(e.remoteAddress(), 1, Integer::sum);
            }
        });
        return new ValidatorDelivery(meters, emitted, delivered, droppedChecks, droppedHandshakes, failures);
    }

    /** License checks made, each of which emitted one event. */
    int emittedChecks() {
        return emittedChecks;
    }

    /** License-check events in the topic, per client. */
    Map<String, Integer> deliveredChecks() {
        return deliveredChecks;
    }

    int deliveredChecksTotal() {
        return deliveredChecks.values().stream().mapToInt(Integer::intValue).sum();
    }

    long droppedChecks() {
        return droppedChecks;
    }

    long droppedHandshakes() {
        return droppedHandshakes;
    }

    /** Failed-handshake events in the topic, per the address they came from. */
    Map<String, Integer> failuresByAddress() {
        return failuresByAddress;
    }

    /** What is in the topic plus what was counted as dropped is what was emitted. */
    void assertTopicPlusDroppedIsEmitted() {
        assertThat(deliveredChecksTotal() + droppedChecks).isEqualTo(emittedChecks);
    }

    /**
     * Nothing that fitted in the buffer was dropped: at most what exceeded it of the {@code emitted} events that
     * could have waited in it, and only because it was full.
     */
    void assertDroppedOnlyBeyondTheBuffer(int buffer, long emitted) {
        assertThat(droppedChecks + droppedHandshakes).as("dropped only beyond the buffer of %d", buffer)
                .isLessThanOrEqualTo(Math.max(0, emitted - buffer));
        assertThat(meters.find("tlswatch.events.dropped").counters())
                .filteredOn(c -> !"buffer_full".equals(c.getId().getTag("reason")))
                .allSatisfy(c -> assertThat(c.count()).as(c.getId().toString()).isZero());
    }

    private static double published(MeterRegistry meters, Topic<?, ?> topic) {
        Counter counter = meters.find("tlswatch.events.published").tag("topic", topic.name()).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double dropped(MeterRegistry meters, Topic<?, ?> topic) {
        return meters.find("tlswatch.events.dropped").tag("topic", topic.name()).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}
