package io.tlswatch.common.kafka;

import io.tlswatch.common.testing.KafkaBroker;
import io.tlswatch.common.testing.KafkaBrokerExtension;
import io.tlswatch.common.topic.Topic;
import io.tlswatch.common.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(KafkaBrokerExtension.class)
class TopicBootstrapIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void createsEveryCatalogueTopicWithItsSettingsAndLeaders(KafkaBroker broker) throws Exception {
        // given a catalogue renamed for this test
        String suffix = "-" + UUID.randomUUID();
        List<Topic<String, ?>> topics = Topics.ALL.stream()
                .<Topic<String, ?>>map(t -> t.withName(t.name() + suffix)).toList();

        try (Admin admin = broker.admin()) {
            // when
            TopicBootstrap.Result result = new TopicBootstrap(admin, TIMEOUT).ensure(topics);

            // then
            assertThat(result.created()).containsExactlyInAnyOrderElementsOf(topics.stream().map(Topic::name).toList());
            Map<String, TopicDescription> described = admin.describeTopics(result.created()).allTopicNames().get();
            for (Topic<String, ?> topic : topics) {
                TopicDescription description = described.get(topic.name());
                assertThat(description.partitions()).hasSize(topic.partitions())
                        .allSatisfy(p -> assertThat(p.leader()).isNotNull());
                Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic.name())))
                        .all().get().values().iterator().next();
                assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
                        .isEqualTo(topic.cleanupPolicy().kafkaName());
                assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value())
                        .isEqualTo(topic.retention() == null ? "-1" : String.valueOf(topic.retention().toMillis()));
            }
        }
    }

    @Test
    void secondRunFindsEverythingInPlaceAndCreatesNothing(KafkaBroker broker) {
        // given
        Topic<String, ?> topic = Topics.HANDSHAKES.withName("bootstrap-twice-" + UUID.randomUUID());
        try (Admin admin = broker.admin()) {
            TopicBootstrap bootstrap = new TopicBootstrap(admin, TIMEOUT);
            bootstrap.ensure(List.of(topic));

            // when
            TopicBootstrap.Result again = bootstrap.ensure(List.of(topic));

            // then
            assertThat(again.created()).isEmpty();
            assertThat(again.existing()).containsExactly(topic.name());
        }
    }

    @Test
    void partitionsOverrideAppliesToEveryTopic(KafkaBroker broker) throws Exception {
        // given
        Topic<String, ?> events = Topics.ALERTS.withName("override-events-" + UUID.randomUUID());
        Topic<String, ?> table = Topics.LICENSES.withName("override-table-" + UUID.randomUUID());
        try (Admin admin = broker.admin()) {
            // when
            new TopicBootstrap(admin, TIMEOUT, 2).ensure(List.of(events, table));

            // then
            assertThat(admin.describeTopics(List.of(events.name(), table.name())).allTopicNames().get().values())
                    .allSatisfy(d -> assertThat(d.partitions()).hasSize(2));
        }
    }
}
