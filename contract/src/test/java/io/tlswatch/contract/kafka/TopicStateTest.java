package io.tlswatch.contract.kafka;

import io.tlswatch.contract.topic.Topics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicStateTest {

    @Test
    void aTopicAsTheCatalogueDefinesItHasNoDifferences() {
        // given
        TopicState state = new TopicState("tlswatch.licenses.v1", 6, 1, Topics.LICENSES.topicConfig());

        // then
        assertThat(state.differencesFrom(Topics.LICENSES, 6, 0, 0)).isEmpty();
    }

    @Test
    void aTableWithTheDeletePolicyAndTooFewPartitionsIsNamedWithBothDifferences() {
        // given
        TopicState state = new TopicState("tlswatch.licenses.v1", 1, 1,
                Map.of("cleanup.policy", "delete", "retention.ms", "-1"));

        // when
        List<String> differences = state.differencesFrom(Topics.LICENSES, 6, 0, 0);

        // then
        assertThat(differences).containsExactly(
                "tlswatch.licenses.v1: 1 partitions, expected 6",
                "tlswatch.licenses.v1: cleanup.policy=delete, expected compact (a table: only the latest record "
                        + "per key may be kept)");
    }

    @Test
    void aDifferentRetentionIsNamedWithTheExpectedValue() {
        // given
        TopicState state = new TopicState("tlswatch.handshakes.v1", 6, 1,
                Map.of("cleanup.policy", "delete", "retention.ms", "3600000"));

        // then
        assertThat(state.differencesFrom(Topics.HANDSHAKES, 6, 0, 0)).containsExactly(
                "tlswatch.handshakes.v1: retention.ms=3600000, expected 604800000");
    }

    @Test
    void replicationAndMinInsyncReplicasAreCheckedOnlyWhenConfigured() {
        // given
        TopicState state = new TopicState("tlswatch.handshakes.v1", 6, 1, Topics.HANDSHAKES.topicConfig());

        // then
        assertThat(state.differencesFrom(Topics.HANDSHAKES, 6, 0, 0)).isEmpty();
        assertThat(state.differencesFrom(Topics.HANDSHAKES, 6, 3, 2)).containsExactly(
                "tlswatch.handshakes.v1: replication factor 1, expected 3",
                "tlswatch.handshakes.v1: min.insync.replicas=, expected 2");
    }

    @Test
    void theStartUpFailureListsEveryProblemAndSaysHowToFixThem() {
        // when
        String message = TopicCheck.message(List.of("a: missing", "b: 1 partitions, expected 6"));

        // then
        assertThat(message).isEqualTo("kafka.topics.create=never but 2 topic problems found (create or fix them "
                + "with `tlswatch topics create`, docs/kafka.md):\n  - a: missing\n  - b: 1 partitions, expected 6");
    }
}
