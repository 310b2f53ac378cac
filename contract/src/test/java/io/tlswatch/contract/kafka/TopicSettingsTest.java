package io.tlswatch.contract.kafka;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.topic.Topics;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicSettingsTest {

    @Test
    void withoutKeysTopicsAreCreatedUnderTheCatalogueNamesWithTodaysReplication() {
        // when
        TopicSettings settings = TopicSettings.from(Map.of());

        // then
        assertThat(settings).isEqualTo(TopicSettings.DEFAULTS);
        assertThat(settings.create()).isEqualTo(TopicSettings.Create.AUTO);
        assertThat(settings.named(Topics.HANDSHAKES)).isSameAs(Topics.HANDSHAKES);
    }

    @Test
    void readsTheModePrefixAndReplicationFromTheirKeys() {
        // when
        TopicSettings settings = TopicSettings.from(Map.of("kafka.topics.create", "NEVER", "topics.prefix", "acme.",
                "topics.replicationFactor", "3", "topics.minInsyncReplicas", "2"));

        // then
        assertThat(settings).isEqualTo(new TopicSettings(TopicSettings.Create.NEVER, "acme.", 3, 2));
    }

    @Test
    void thePrefixGoesInFrontOfEveryNameAndKeepsEverythingElse() {
        // given
        TopicSettings settings = TopicSettings.from(Map.of("topics.prefix", "acme."));

        // when
        var named = settings.named(Topics.LICENSES);

        // then
        assertThat(named.name()).isEqualTo("acme.tlswatch.licenses.v1");
        assertThat(named.topicConfig()).isEqualTo(Topics.LICENSES.topicConfig());
        assertThat(named.partitions()).isEqualTo(Topics.LICENSES.partitions());
    }

    @Test
    void anUnknownModeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> TopicSettings.from(Map.of("kafka.topics.create", "sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("kafka.topics.create must be auto or never, was 'sometimes'");
    }

    @Test
    void aPrefixThatWouldMakeIllegalTopicNamesIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> TopicSettings.from(Map.of("topics.prefix", "acme/")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("topics.prefix may hold only letters, digits");
    }

    @Test
    void aReplicationFactorBelowOneOrNotANumberIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> TopicSettings.from(Map.of("topics.replicationFactor", "0")))
                .isInstanceOf(ConfigException.class).hasMessage("topics.replicationFactor must be at least 1, was 0");
        assertThatThrownBy(() -> TopicSettings.from(Map.of("topics.minInsyncReplicas", "two")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("topics.minInsyncReplicas must be a whole number, was 'two'");
    }

    @Test
    void minInsyncReplicasAboveTheReplicationFactorIsRefused() {
        assertThatThrownBy(() -> TopicSettings.from(Map.of("topics.replicationFactor", "2",
                "topics.minInsyncReplicas", "3")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("topics.minInsyncReplicas (3) must not exceed topics.replicationFactor (2)");
    }

    @Test
    void theCreateModeIsNotPassedToTheKafkaClients() {
        // when
        KafkaSettings kafka = KafkaSettings.fromPrefixed(Map.of("kafka.topics.create", "never",
                "kafka.security.protocol", "SASL_SSL", "topics.prefix", "acme."), "localhost:9092");

        // then
        assertThat(kafka.passthrough()).containsOnlyKeys("security.protocol");
        assertThat(kafka.admin()).doesNotContainKey("topics.create");
        assertThat(kafka.topics()).isEqualTo(new TopicSettings(TopicSettings.Create.NEVER, "acme.", 0, 0));
    }

    @Test
    void thePrincipalIsTheSaslUserWhenTheSettingsNameOne() {
        // given
        KafkaSettings kafka = KafkaSettings.fromPrefixed(Map.of("kafka.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"validator\" "
                        + "password=\"secret\";"), "localhost:9092");

        // then
        assertThat(kafka.principal()).isEqualTo("User:validator");
    }
}
