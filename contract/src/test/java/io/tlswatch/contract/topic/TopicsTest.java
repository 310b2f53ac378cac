package io.tlswatch.contract.topic;

import io.tlswatch.contract.event.SampleEvents;
import io.tlswatch.contract.serde.JsonSerde;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicsTest {

    @Test
    void catalogueHoldsExactlyTheTopicsOfTheDesign() {
        assertThat(Topics.ALL).extracting(Topic::name).containsExactly(
                "tlswatch.handshakes.v1", "tlswatch.license-checks.v1", "tlswatch.certificates.v1",
                "tlswatch.client-reports.v1", "tlswatch.licenses.v1", "tlswatch.policies.v1", "tlswatch.machines.v1",
                "tlswatch.admin-tokens.v1", "tlswatch.client-posture.v1",
                "tlswatch.fingerprint-posture.v1", "tlswatch.alerts.v1",
                "tlswatch.alerts.dlq.v1");
    }

    @Test
    void tablesAreCompactedAndKeptForeverWhileEventsExpire() {
        Map<Boolean, List<String>> byCompaction = Topics.ALL.stream().collect(Collectors.partitioningBy(
                t -> t.cleanupPolicy() == Topic.CleanupPolicy.COMPACT,
                Collectors.mapping(Topic::name, Collectors.toList())));

        assertThat(byCompaction.get(true)).containsExactlyInAnyOrder(
                "tlswatch.licenses.v1", "tlswatch.policies.v1", "tlswatch.machines.v1", "tlswatch.admin-tokens.v1",
                "tlswatch.client-posture.v1", "tlswatch.fingerprint-posture.v1");
        assertThat(Topics.ALL).allSatisfy(t -> {
            String retention = t.topicConfig().get(TopicConfig.RETENTION_MS_CONFIG);
            if (t.cleanupPolicy() == Topic.CleanupPolicy.COMPACT) {
                assertThat(retention).isEqualTo("-1");
            } else {
                assertThat(Long.parseLong(retention)).isPositive();
            }
        });
    }

    @Test
    void everyEventTypeHasExactlyOneTopic() {
        assertThat(SampleEvents.all()).allSatisfy(sample -> assertThat(Topics.ALL)
                .filteredOn(t -> ((JsonSerde<?>) t.valueSerde()).targetType() == sample.getClass())
                .hasSize(1));
    }

    @Test
    void theStreamsDeadLetterTopicKeepsRawBytesForAWhileAndIsNotPartOfTheDesignCatalogue() {
        Topic<String, byte[]> dlq = Topics.STREAMS_DEAD_LETTERS;

        assertThat(dlq.name()).isEqualTo("tlswatch.streams.dlq.v1");
        assertThat(dlq.valueSerde().serializer().serialize(dlq.name(), new byte[] {1, 2})).containsExactly(1, 2);
        assertThat(dlq.cleanupPolicy()).isEqualTo(Topic.CleanupPolicy.DELETE);
        assertThat(Topics.ALL).doesNotContain(dlq);
    }

    @Test
    void withNameKeepsEverythingButTheName() {
        Topic<String, ?> renamed = Topics.LICENSES.withName("other");

        assertThat(renamed.name()).isEqualTo("other");
        assertThat(renamed.topicConfig()).isEqualTo(Topics.LICENSES.topicConfig());
        assertThat(renamed.partitions()).isEqualTo(Topics.LICENSES.partitions());
    }

    @Test
    void newTopicUsesTheOverrideWhenGiven() {
        assertThat(Topics.HANDSHAKES.newTopic(0, (short) 1).numPartitions()).isEqualTo(Topics.DEFAULT_PARTITIONS);
        assertThat(Topics.HANDSHAKES.newTopic(2, (short) 1).numPartitions()).isEqualTo(2);
    }

    @Test
    void refusesATopicWithoutPartitionsNamingIt() {
        assertThatThrownBy(() -> new Topic<>("broken", Topics.ALERTS.keySerde(), Topics.ALERTS.valueSerde(), 0,
                Topic.CleanupPolicy.DELETE, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions of broken");
    }
}
