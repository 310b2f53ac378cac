package io.tlswatch.launcher;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tlswatch kafka --brokers 3}, the packaged {@code tlswatch.jar} in its own JVM. */
class KafkaClusterCommandIT {

    private static final Duration START_LIMIT = Duration.ofSeconds(150);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(40);

    @TempDir
    Path work;

    @RegisterExtension
    final PackagedLauncher launcher = new PackagedLauncher("768m");

    @Test
    void threeBrokersServeEveryTopicWithThreeReplicasAndTwoInSyncAndStopCleanlyWhenSignalled() throws Exception {
        // given the command started with three brokers on three consecutive free ports
        int port = FreePorts.consecutive(3);
        Path output = work.resolve("out.txt");
        launcher.launch(output, "kafka", "--brokers", "3", "--port", String.valueOf(port));

        // when it says it is ready
        String servers = IntStream.range(0, 3).mapToObj(i -> "localhost:" + (port + i))
                .reduce((a, b) -> a + "," + b).orElseThrow();
        await().atMost(START_LIMIT).until(() -> PackagedLauncher.read(output).contains("Kafka ready on " + servers + ": 3 brokers"));

        // then every catalogue topic has three replicas on three brokers, and min.insync.replicas 2
        try (Admin admin = Admin.create(KafkaSettings.of(servers).admin())) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(3);
            List<String> names = Topics.ALL.stream().map(t -> t.name()).toList();
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
            assertThat(topics.values()).flatExtracting(TopicDescription::partitions)
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
            ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, Topics.ALERTS.name());
            Config config = admin.describeConfigs(List.of(alerts)).all().get().get(alerts);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
        }
        assertThat(PackagedLauncher.read(output)).contains("replication 3, min.insync.replicas 2");

        // and a stop signal shuts every broker down cleanly
        launcher.assertKafkaStopsCleanlyOnSignal(output, STOP_LIMIT);
    }

}
