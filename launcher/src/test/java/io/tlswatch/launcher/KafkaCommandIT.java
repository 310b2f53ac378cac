package io.tlswatch.launcher;

import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs the packaged {@code tlswatch.jar} as a user would, in its own JVM. */
class KafkaCommandIT {

    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(40);

    @TempDir
    Path work;

    @RegisterExtension
    final PackagedLauncher launcher = new PackagedLauncher("512m");

    @Test
    void servesAnyKafkaClientOnItsPortAndStopsCleanlyWhenSignalled() throws Exception {
        // given the command started on a free port
        int port = FreePorts.next();
        Path output = work.resolve("out.txt");
        launcher.launch(output, "kafka", "--port", String.valueOf(port));

        // when it says it is ready
        await().atMost(START_LIMIT).until(() -> PackagedLauncher.read(output).contains("Kafka ready on localhost:" + port));

        // then a plain Kafka client can use every catalogue topic on that port
        KafkaSettings settings = KafkaSettings.of("localhost:" + port);
        try (Admin admin = Admin.create(settings.admin())) {
            assertThat(admin.listTopics().names().get())
                    .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
        }
        String topic = Topics.ALERTS.name();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings.producer("cli-test"),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
        }
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings.consumer("cli-test"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return !values.isEmpty();
            });
        }
        assertThat(values).containsExactly("hello");

        // and a stop signal shuts it down cleanly and promptly
        launcher.assertKafkaStopsCleanlyOnSignal(output, STOP_LIMIT);
    }

    @Test
    void aTakenPortFailsWithAMessageNamingTheProblem() throws Exception {
        // given the port is held by someone else
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("localhost", 0));
            Path output = work.resolve("out.txt");

            // when
            Process process = launcher.launch(output, "kafka", "--port", String.valueOf(taken.getLocalPort()),
                    "--startup-timeout", "PT20S");

            // then
            assertThat(process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("exited in time").isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(PackagedLauncher.read(output))
                    .contains("tlswatch kafka: could not start the broker")
                    .contains("localhost:" + taken.getLocalPort() + " is not available")
                    .containsIgnoringCase("address already in use")
                    .doesNotContain("\tat ");
        }
    }
}
