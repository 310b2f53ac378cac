package io.tlswatch.notifier.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where a secret (routing key, API key, webhook URL, HMAC key) comes from: an environment variable or a file,
 * never the configuration file itself, so that the file can be shared and committed. Only the source is
 * printable; the value never is.
 */
public sealed interface Secret {

    /**
     * Reads the value.
     *
     * @param environment looks an environment variable up ({@code System::getenv} in production)
     * @throws io.tlswatch.contract.config.ConfigException when the variable is unset or empty, or the file unreadable
     */
    SecretValue resolve(UnaryOperator<String> environment);

    /** The value of an environment variable. */
    record Env(String variable) implements Secret {
        public Env {
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public SecretValue resolve(UnaryOperator<String> environment) {
            String value = environment.apply(variable);
            if (value == null || value.isBlank()) {
                throw new io.tlswatch.contract.config.ConfigException("environment variable " + variable
                        + " is not set or empty");
            }
            return new SecretValue(value.trim());
        }
    }

    /** The first line of a file (without its line ending). */
    record File(Path path) implements Secret {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public SecretValue resolve(UnaryOperator<String> environment) {
            String content;
            try {
                content = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new io.tlswatch.contract.config.ConfigException("cannot read secret file " + path + ": "
                        + e.getMessage());
            }
            String line = content.lines().findFirst().orElse("").trim();
            if (line.isEmpty()) {
                throw new io.tlswatch.contract.config.ConfigException("secret file " + path + " is empty");
            }
            return new SecretValue(line);
        }
    }
}
