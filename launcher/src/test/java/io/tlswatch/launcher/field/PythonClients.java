package io.tlswatch.launcher.field;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.serde.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code field_client.py}: installations that check their licenses with Python's {@code ssl} module and
 * report their failures to the collector, as a customer's own code would; not the tlswatch SDK.
 */
final class PythonClients {

    private static final long TIMEOUT_SECONDS = 180;

    private final Path script;

    PythonClients(Path dir) {
        this.script = dir.resolve("field_client.py");
        try (InputStream in = PythonClients.class.getResourceAsStream("/field/field_client.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether python3 with the {@code cryptography} package is here. */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import ssl, cryptography").redirectErrorStream(true)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts one run of the script with these arguments; {@link Run#await()} collects its lines. */
    Run start(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(arguments);
        try {
            // Python's warnings (TLS 1.0 is deprecated) go to stderr: kept apart, in the log directory.
            Path errors = Files.createTempFile(script.getParent(), "client-", ".stderr");
            return new Run(command, new ProcessBuilder(command).redirectError(errors.toFile()).start(), errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A running client. */
    static final class Run {
        private final List<String> command;
        private final Process process;
        private final Path errors;

        private Run(List<String> command, Process process, Path errors) {
            this.command = command;
            this.process = process;
            this.errors = errors;
        }

        /** Waits for the client to finish; its JSON lines, one per attempt. */
        List<JsonNode> await() {
            try {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("client did not finish in " + TIMEOUT_SECONDS + " s: " + command);
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException("client failed (" + process.exitValue() + "): " + command + "\n"
                            + output + Files.readString(errors));
                }
                List<JsonNode> lines = new ArrayList<>();
                for (String line : output.split("\n")) {
                    if (!line.isBlank()) {
                        lines.add(Json.reader().readTree(line));
                    }
                }
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
