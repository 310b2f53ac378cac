package io.tlswatch.notifier.consume;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {

    private final TopicPartition p0 = new TopicPartition("alerts", 0);
    private final TopicPartition p1 = new TopicPartition("alerts", 1);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsNothingWhileTheOldestRecordIsStillBeingDelivered() {
        tracker.started(p0, 10);
        tracker.started(p0, 11);
        tracker.finished(p0, 11);

        assertThat(tracker.committable()).containsEntry(p0, new OffsetAndMetadata(10));
        tracker.committed(tracker.committable());
        assertThat(tracker.committable()).as("no progress, nothing to commit again").isEmpty();
    }

    @Test
    void movesPastEveryFinishedRecordOnceTheOldestFinishes() {
        tracker.started(p0, 10);
        tracker.started(p0, 11);
        tracker.started(p0, 12);
        tracker.finished(p0, 12);
        tracker.finished(p0, 11);
        tracker.finished(p0, 10);

        assertThat(tracker.committable()).isEqualTo(Map.of(p0, new OffsetAndMetadata(13)));
        assertThat(tracker.open()).isZero();
    }

    @Test
    void partitionsAreIndependent() {
        tracker.started(p0, 5);
        tracker.started(p1, 7);
        tracker.finished(p1, 7);

        assertThat(tracker.committable()).containsEntry(p0, new OffsetAndMetadata(5)).containsEntry(p1, new OffsetAndMetadata(8));
    }

    @Test
    void forgetsRevokedPartitionsAndIgnoresTheirLateCompletions() {
        tracker.started(p0, 5);
        tracker.forget(List.of(p0));
        tracker.finished(p0, 5);

        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.open()).isZero();
    }
}
