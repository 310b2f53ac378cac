package io.tlswatch.contract.kafka;

import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service's start with its topics: created ({@code auto}) or only checked ({@code never}), under a prefix. */
@ExtendWith(KafkaBrokerExtension.class)
class TopicStartupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** The broker is shared by every test: a fresh prefix gives each an empty namespace. */
    private static KafkaSettings settings(KafkaBroker broker, String mode, String prefix) {
        return KafkaSettings.fromPrefixed(Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "kafka.topics.create", mode, "topics.prefix", prefix), "unused:9092");
    }

    private static String freshPrefix() {
        return "it-" + UUID.randomUUID() + ".";
    }

    @Test
    void neverOnAnEmptyNamespaceFailsNamingEveryMissingTopic(KafkaBroker broker) {
        // given
        String prefix = freshPrefix();
        KafkaSettings kafka = settings(broker, "never", prefix);
        List<Topic<?, ?>> topics = kafka.topics().named(List.of(Topics.ALERTS, Topics.ALERTS_DLQ));

        // when / then
        assertThatThrownBy(() -> TopicStartup.prepare(kafka, TIMEOUT, topics))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("kafka.topics.create=never but 2 topic problems found (create or fix them with "
                        + "`tlswatch topics create`, docs/kafka.md):\n"
                        + "  - " + prefix + "tlswatch.alerts.v1: missing\n"
                        + "  - " + prefix + "tlswatch.alerts.dlq.v1: missing");
    }

    @Test
    void autoCreatesEveryTopicUnderThePrefixAndNeverThenStarts(KafkaBroker broker) throws Exception {
        // given
        String prefix = freshPrefix();
        List<Topic<?, ?>> topics = List.copyOf(Topics.ALL);
        KafkaSettings auto = settings(broker, "auto", prefix);

        // when
        TopicStartup.prepare(auto, TIMEOUT, auto.topics().named(topics));

        // then every topic is there under the prefix, and nothing else carries it
        try (Admin admin = broker.admin()) {
            Set<String> names = admin.listTopics().names().get();
            assertThat(names.stream().filter(n -> n.startsWith(prefix)))
                    .containsExactlyInAnyOrderElementsOf(Topics.ALL.stream().map(t -> prefix + t.name()).toList());
        }
        // and a service that may not create them starts
        KafkaSettings never = settings(broker, "never", prefix);
        TopicStartup.prepare(never, TIMEOUT, never.topics().named(topics));
    }

    @Test
    void aTopicWithTheWrongCleanupPolicyAndPartitionCountIsNamed(KafkaBroker broker) throws Exception {
        // given the license table created by hand as an event stream of 2 partitions
        String prefix = freshPrefix();
        String name = prefix + Topics.LICENSES.name();
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, 2, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", "-1")))).all().get();
        }
        KafkaSettings never = settings(broker, "never", prefix);

        // when / then
        assertThatThrownBy(() -> TopicStartup.prepare(never, TIMEOUT, never.topics().named(List.of(Topics.LICENSES))))
                .hasMessageContaining("2 topic problems found")
                .hasMessageContaining(name + ": 2 partitions, expected 6")
                .hasMessageContaining(name + ": cleanup.policy=delete, expected compact");
    }

    @Test
    void autoCreatesWithTheConfiguredMinInsyncReplicas(KafkaBroker broker) {
        // given
        String prefix = freshPrefix();
        KafkaSettings auto = KafkaSettings.fromPrefixed(Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "topics.prefix", prefix, "topics.replicationFactor", "1", "topics.minInsyncReplicas", "1"), "x:1");
        List<Topic<?, ?>> topics = auto.topics().named(List.of(Topics.HANDSHAKES));

        // when
        TopicStartup.prepare(auto, TIMEOUT, topics);

        // then the check with the same settings finds nothing to say
        try (Admin admin = broker.admin()) {
            assertThat(new TopicCheck(admin, TIMEOUT, auto.topics(), 0, "User:it").problems(topics)).isEmpty();
        }
    }
}
