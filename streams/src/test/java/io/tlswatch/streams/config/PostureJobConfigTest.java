package io.tlswatch.streams.config;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.streams.attribution.PendingBounds;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostureJobConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        PostureJobConfig c = PostureJobConfig.defaults();

        assertThat(c.adminPort()).isEqualTo(9403);
        assertThat(c.applicationId()).isEqualTo("tlswatch-streams");
        assertThat(c.grace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.rules()).isEqualTo(PostureRulesConfig.DEFAULTS);
        assertThat(c.topics()).isEqualTo(JobTopics.DEFAULTS);
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.pendingBounds()).isEqualTo(new PendingBounds(16, 10_000));
    }

    @Test
    void streamsRunExactlyOnceWithExplicitNamesAndPassKafkaSettingsThrough() {
        PostureJobConfig c = PostureJobConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", "k1:9092", "kafka.commit.interval.ms", "50",
                "streams.applicationId", "app")));

        Properties p = StreamsProperties.of(c, "node-1:9403");

        assertThat(p).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9092")
                .containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "node-1:9403")
                .containsEntry("commit.interval.ms", "50");
    }

    @Test
    void anUnknownKeyInTheFileIsRefusedByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streams.properties");
        Files.writeString(file, "posture.windw=2h\n");

        assertThatThrownBy(() -> PostureJobConfig.load(file, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("posture.windw");
    }

    @Test
    void theEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("streams.properties");
        Files.writeString(file, "posture.stuckMinFailures=5\nalerts.minHold=1m\n");

        PostureJobConfig c = PostureJobConfig.load(file, Map.of("TLSWATCH_POSTURE_STUCKMINFAILURES", "7"));

        assertThat(c.rules().stuckMinFailures()).isEqualTo(7);
        assertThat(c.rules().minHold()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> PostureJobConfig.from(ConfigSource.of(Map.of("posture.stuckMinFailures", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("posture.stuckMinFailures");
        assertThatThrownBy(() -> PostureJobConfig.from(ConfigSource.of(Map.of("posture.window", "0s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("posture.window");
        assertThatThrownBy(() -> PostureJobConfig.from(ConfigSource.of(Map.of("topics.alerts", "bad name"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topics.alerts");
        assertThatThrownBy(() -> PostureJobConfig.from(ConfigSource.of(Map.of(
                "events.grace", "2h", "events.dedupWindow", "1h"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("events.dedupWindow");
        assertThatThrownBy(() -> PostureJobConfig.from(ConfigSource.of(Map.of("attribution.pendingPerAddress", "0"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("attribution.pendingPerAddress");
        assertThatThrownBy(() -> PostureJobConfig.from(ConfigSource.of(Map.of("attribution.pendingMax", "-1"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("attribution.pendingMax");
    }

    @Test
    void topicNamesCanBeChangedWhileTheirSerdesStay() {
        PostureJobConfig c = PostureJobConfig.from(ConfigSource.of(Map.of("topics.handshakes", "hs-test")));

        assertThat(c.topics().handshakes().name()).isEqualTo("hs-test");
        assertThat(c.topics().handshakes().valueSerde()).isSameAs(JobTopics.DEFAULTS.handshakes().valueSerde());
    }

    @Test
    void thePrefixGoesInFrontOfEveryTopicRenamedOrNot() {
        // when
        PostureJobConfig c = PostureJobConfig.from(ConfigSource.of(Map.of("topics.prefix", "acme.",
                "topics.alerts", "my-alerts")));

        // then
        assertThat(c.topics().handshakes().name()).isEqualTo("acme.tlswatch.handshakes.v1");
        assertThat(c.topics().deadLetters().name()).isEqualTo("acme.tlswatch.streams.dlq.v1");
        assertThat(c.topics().alerts().name()).isEqualTo("acme.my-alerts");
        assertThat(c.topics().all()).allSatisfy(t -> assertThat(t.name()).startsWith("acme."));
    }

    @Test
    void theTopicKeysAreAcceptedInTheFileAndABadOneIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("streams.properties");
        Files.writeString(file, "topics.prefix=acme.\ntopics.replicationFactor=3\ntopics.minInsyncReplicas=4\n");

        // then
        assertThatThrownBy(() -> PostureJobConfig.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("topics.minInsyncReplicas (4) must not exceed topics.replicationFactor (3)");
    }

    @Test
    void internalTopicsAreReplicatedAsTheJobsTopicsUnlessKafkaSettingsSayOtherwise() {
        // when
        Properties configured = StreamsProperties.of(PostureJobConfig.from(ConfigSource.of(Map.of(
                "topics.replicationFactor", "3"))), null);
        Properties overridden = StreamsProperties.of(PostureJobConfig.from(ConfigSource.of(Map.of(
                "topics.replicationFactor", "3", "kafka.replication.factor", "2"))), null);

        // then
        assertThat(configured).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        assertThat(overridden).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, "2");
        assertThat(StreamsProperties.of(PostureJobConfig.defaults(), null))
                .doesNotContainKey(StreamsConfig.REPLICATION_FACTOR_CONFIG);
    }
}
