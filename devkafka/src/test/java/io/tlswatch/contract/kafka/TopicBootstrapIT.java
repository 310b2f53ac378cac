package io.tlswatch.contract.kafka;

import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
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
    void everyPartitionTakesAnIdempotentProducersFirstWriteAsSoonAsEnsureReturns(KafkaBroker broker)
            throws Exception {
        // given 20 fresh topics of 6 partitions, each written to the moment ensure() returns for it. A partition
        // whose leader the metadata names before the leader's log is open answers NOT_LEADER_OR_FOLLOWER, and an
        // idempotent producer that retries after that can be stuck on OUT_OF_ORDER_SEQUENCE_NUMBER until its
        // delivery timeout (seen in LicenseRegistryIT): ensure() must not return before every partition serves.
        try (Admin admin = broker.admin();
             KafkaProducer<String, String> producer = new KafkaProducer<>(broker.settings().producer("bootstrap-it"),
                     new StringSerializer(), new StringSerializer())) {
            TopicBootstrap bootstrap = new TopicBootstrap(admin, TIMEOUT, 6);
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (int t = 0; t < 20; t++) {
                Topic<String, ?> topic = Topics.LICENSES.withName("bootstrap-serving-" + UUID.randomUUID());
                bootstrap.ensure(List.of(topic));
                for (int partition = 0; partition < 6; partition++) {
                    sent.add(producer.send(new ProducerRecord<>(topic.name(), partition, "k", "v")));
                }
            }

            // when every write is acknowledged
            for (var future : sent) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }

            // then none of them had to be retried
            assertThat(metric(producer, "record-retry-total")).isZero();
        }
    }

    private static double metric(KafkaProducer<?, ?> producer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> entry : producer.metrics().entrySet()) {
            if (entry.getKey().name().equals(name) && entry.getKey().group().equals("producer-metrics")) {
                return ((Number) entry.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("producer metric " + name + " not found");
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
