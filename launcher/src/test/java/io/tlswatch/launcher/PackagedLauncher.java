package io.tlswatch.launcher;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code tlswatch.jar} started as a user would, in its own JVM, its output in a file; a process the
 * test left running is killed after it.
 */
final class PackagedLauncher implements AfterEachCallback {

    private final String heap;
    private Process process;

    /** @param heap the launched JVM's -Xmx */
    PackagedLauncher(String heap) {
        this.heap = heap;
    }

    /** Starts {@code java -Xmx<heap> -jar tlswatch.jar args...}, stdout and stderr both to {@code output}. */
    Process launch(Path output, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        assertThat(jar).as("the packaged launcher").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-jar", jar.toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** What the process wrote so far; nothing before it created the file. */
    static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }

    /**
     * Signals {@code tlswatch kafka} to stop and checks that it closed Kafka and exited in time. SIGTERM, not
     * SIGINT: a test JVM started in the background of a non-interactive shell (as CI may be) passes SIGINT on as
     * ignored, and the JVM then never sees it. Both signals run the same shutdown hook; Ctrl-C in a terminal is
     * checked in docs/kafka.md.
     */
    void assertKafkaStopsCleanlyOnSignal(Path output, Duration limit) throws Exception {
        process.destroy();
        assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).as("exited in time").isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
        assertThat(read(output)).contains("Stopping Kafka").contains("Kafka stopped.");
    }
}
