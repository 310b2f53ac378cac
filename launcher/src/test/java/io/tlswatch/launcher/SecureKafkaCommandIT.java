package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tlswatch kafka --secure}, the packaged jar in its own JVM, as a developer runs it. */
class SecureKafkaCommandIT {

    private static final Duration START_LIMIT = Duration.ofSeconds(150);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(40);

    @TempDir
    Path work;

    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "--brokers {0}")
    @ValueSource(ints = {1, 3})
    void writesEachPrincipalsSettingsWithWhichOnlyTheAdminMayDoAnythingUntilAclsAreGranted(int brokers)
            throws Exception {
        // given the command started with --secure, on one broker or a cluster of three
        int port = FreePorts.consecutive(brokers);
        Path output = work.resolve("out.txt");
        Path clients = work.resolve("clients");
        process = launch(output, "kafka", "--secure", "--brokers", String.valueOf(brokers), "--port",
                String.valueOf(port), "--clients-dir", clients.toString());

        // when it says it is ready
        await().atMost(START_LIMIT).until(() -> read(output).contains("Press Ctrl-C") || !process.isAlive());

        // then it names the directory and a file per principal
        assertThat(read(output)).contains("Kafka ready on localhost:" + port)
                .contains("SASL_SSL (SCRAM-SHA-512) with ACLs: client settings in " + clients)
                .contains("admin.properties", "validator.properties", "collector.properties", "streams.properties",
                        "notifier.properties");
        // and the admin's settings see every catalogue topic, which the command created as admin
        try (Admin admin = Admin.create(settings(clients.resolve("admin.properties")).admin())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                    .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
            // on every broker of the cluster
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(brokers);
        }
        // and a service's settings authenticate, but without an ACL its principal sees no topic at all
        KafkaSettings validator = settings(clients.resolve("validator.properties"));
        assertThat(validator.principal()).isEqualTo("User:validator");
        assertThat(validator.topics().create()).isEqualTo(TopicSettings.Create.NEVER);
        try (Admin admin = Admin.create(validator.admin())) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).isEmpty();
        }

        // and SIGTERM stops it cleanly
        process.destroy();
        assertThat(process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("exited in time").isTrue();
        assertThat(read(output)).contains("Kafka stopped.");
    }

    private static KafkaSettings settings(Path file) {
        Map<String, String> config = ConfigSource.load(file, Map.of(), Set.of(), List.of(KafkaSettings.PREFIX)).all();
        return KafkaSettings.fromPrefixed(config, null);
    }

    private Process launch(Path output, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        assertThat(jar).as("the packaged launcher").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
