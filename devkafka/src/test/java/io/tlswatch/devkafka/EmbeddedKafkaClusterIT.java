package io.tlswatch.devkafka;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EmbeddedKafkaClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int RECORDS = 500;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aThreeNodeClusterReplicatesThreeTimesAndKeepsEveryAcknowledgedRecordWhenTheLeaderStopsAndRestarts(
            @TempDir Path dir) throws Exception {
        // given three nodes, and a topic created with the cluster's defaults
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.defaults()
                .withDataDir(dir).withStartupTimeout(TIMEOUT))) {
            assertThat(cluster.nodeIds()).containsExactlyInAnyOrder(1, 2, 3);
            KafkaSettings settings = KafkaSettings.of(cluster.bootstrapServers());
            String topic = Topics.HANDSHAKES.name();
            try (Admin admin = Admin.create(settings.admin())) {
                new TopicBootstrap(admin, TIMEOUT, 1, new TopicSettings(TopicSettings.Create.AUTO, "", 3, 2),
                        "test").ensure(List.of(Topics.HANDSHAKES));
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                assertThat(description.partitions().get(0).replicas()).hasSize(3);
                assertThat(description.partitions().get(0).isr()).hasSize(3);
                ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
                Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs =
                        admin.describeConfigs(List.of(broker)).all().get();
                assertThat(configs.get(broker).get("min.insync.replicas").value()).isEqualTo("2");
                assertThat(configs.get(broker).get("default.replication.factor").value()).isEqualTo("3");
            }
            TopicPartition partition = new TopicPartition(topic, 0);
            int leader = cluster.leaderOf(partition).orElseThrow();

            // when the leader stops while an acks=all producer writes, and starts again on its ports and data
            List<Future<?>> sends = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer("cluster-test"),
                    new StringSerializer(), new StringSerializer())) {
                IntStream.range(0, RECORDS / 2).forEach(i -> sends.add(producer.send(
                        new ProducerRecord<>(topic, "key", "value-" + i))));
                producer.flush();
                cluster.stop(leader);
                assertThat(cluster.isRunning(leader)).isFalse();
                await().atMost(TIMEOUT).until(() -> cluster.leaderOf(partition).orElse(leader) != leader);
                IntStream.range(RECORDS / 2, RECORDS).forEach(i -> sends.add(producer.send(
                        new ProducerRecord<>(topic, "key", "value-" + i))));
                producer.flush();
                for (Future<?> send : sends) {
                    send.get();
                }
            }
            cluster.restart(leader);
            assertThat(cluster.isRunning(leader)).isTrue();

            // then every acknowledged record is there once, in order, and the restarted node is back in sync
            List<String> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings.consumer("cluster-test"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                await().atMost(TIMEOUT).until(() -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        read.add(r.value());
                    }
                    return read.size() >= RECORDS;
                });
            }
            assertThat(read).containsExactlyElementsOf(
                    IntStream.range(0, RECORDS).mapToObj(i -> "value-" + i).toList());
            try (Admin admin = Admin.create(settings.admin())) {
                await().atMost(TIMEOUT).until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get()
                        .get(topic).partitions().get(0).isr().size() == 3);
            }
        }
    }

    @Test
    void replicatesThreeTimesWithTwoInSyncOrAsManyAsASmallerClusterHolds() {
        // given the default options, and options for one node, then the replication follows the node count
        assertThat(EmbeddedKafkaCluster.Options.defaults().replicationFactor()).isEqualTo(3);
        assertThat(EmbeddedKafkaCluster.Options.defaults().minInsyncReplicas()).isEqualTo(2);
        assertThat(EmbeddedKafkaCluster.Options.defaults().withNodes(1).minInsyncReplicas()).isEqualTo(1);
    }
}
