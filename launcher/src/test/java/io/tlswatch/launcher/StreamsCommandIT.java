package io.tlswatch.launcher;

import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tlswatch streams} run as a user runs it: its own JVM, configured by a file and the environment. */
@ExtendWith(KafkaBrokerExtension.class)
class StreamsCommandIT {

    private Process streams;

    @AfterEach
    void stop() {
        if (streams != null && streams.isAlive()) {
            streams.destroyForcibly();
        }
    }

    @Test
    void runsAnswersQueriesAndStopsCleanlyOnSigterm(KafkaBroker broker, @TempDir Path dir) throws Exception {
        // given a configuration file and the broker in the environment
        int port = FreePorts.next();
        String suffix = "-" + UUID.randomUUID();
        Path config = dir.resolve("streams.properties");
        Files.writeString(config, String.join("\n",
                "admin.host=127.0.0.1", "admin.port=" + port, "admin.advertisedHost=127.0.0.1",
                "streams.applicationId=streams-command-it" + suffix, "streams.stateDir=" + dir.resolve("state"),
                "topics.handshakes=hs" + suffix, "topics.licenseChecks=lc" + suffix,
                "topics.clientReports=cr" + suffix, "topics.clientPosture=cp" + suffix,
                "topics.fingerprintPosture=fp" + suffix, "topics.alerts=al" + suffix,
                "topics.deadLetters=dlq" + suffix, "kafka.commit.interval.ms=100", ""));
        Path output = dir.resolve("streams.txt");

        // when the command starts
        streams = launch(output, List.of("streams", "--config", config.toString()),
                Map.of("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers()));
        await().atMost(Duration.ofSeconds(120)).until(() -> read(output).contains("Streams ready"));

        // then it answers queries and is ready
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> clients = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/clients?posture=stuck")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(clients.statusCode()).isEqualTo(200);
        assertThat(clients.body()).contains("\"clients\":[]");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        // and SIGTERM stops it cleanly
        streams.destroy();
        assertThat(streams.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(read(output)).contains("Streams stopped.");
    }

    @Test
    void refusesAnUnknownKeyWithExitCode2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("streams.properties");
        Files.writeString(config, "posture.windw=2h\n");
        Path output = dir.resolve("streams.txt");

        Process refused = launch(output, List.of("streams", "--config", config.toString()), Map.of());

        assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(2);
        assertThat(read(output)).contains("configuration refused").contains("posture.windw");
    }

    private static Process launch(Path output, List<String> args, Map<String, String> environment)
            throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
