package io.tlswatch.launcher;

import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code tlswatch validator} run as a user runs it: its own JVM, configured by environment variables. */
@ExtendWith(KafkaBrokerExtension.class)
class ValidatorCommandIT {

    private Process validator;

    @AfterEach
    void stop() {
        if (validator != null && validator.isAlive()) {
            validator.destroyForcibly();
        }
    }

    @Test
    void jdkProviderRefusesClientInitiatedRenegotiationAndStopsCleanly(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        // given the validator on the JDK's TLS provider, started by the command
        int port = FreePorts.next();
        Path output = dir.resolve("validator.txt");
        validator = launch(output, Map.of("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "TLSWATCH_HTTPS_PORT", String.valueOf(port), "TLSWATCH_ADMIN_PORT", String.valueOf(FreePorts.next()),
                "TLSWATCH_SERVER_HOST", "127.0.0.1", "TLSWATCH_ADMIN_HOST", "127.0.0.1",
                "TLSWATCH_TLS_PROVIDER", "jdk", "TLSWATCH_TLS_DEVCERTIFICATEDIR", dir.resolve("certs").toString()));
        await().atMost(Duration.ofSeconds(90)).until(() -> read(output).contains("Validator ready on https://localhost:" + port));

        // when a TLS 1.2 client asks to renegotiate (openssl's interactive 'R')
        Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-CAfile", dir.resolve("certs").resolve("ca.pem").toString()).redirectErrorStream(true).start();
        try (OutputStream in = client.getOutputStream()) {
            in.write("R\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        }
        // s_client reads the command after the handshake; the answer ends the session either way. The bound is
        // generous because a loaded CI machine may still be compiling the freshly started server's hot paths.
        boolean ended = client.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            client.destroyForcibly();
        }
        String session = new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(ended).as("openssl s_client ended; it printed:%n%s", session).isTrue();

        // then the server answers the renegotiation with a handshake_failure alert (40)
        assertThat(session).contains("RENEGOTIATING").contains("alert number 40");

        // and SIGTERM stops it cleanly
        validator.destroy();
        assertThat(validator.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(read(output)).contains("Validator stopped.");
    }

    private static Process launch(Path output, Map<String, String> environment) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toString(), "validator"))
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
