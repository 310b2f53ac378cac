package io.tlswatch.tlsserver.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where a password comes from: never the configuration file itself, so that the file can be shared and committed.
 */
public sealed interface SecretSource {

    /**
     * The secret's characters; empty for {@link None}.
     *
     * @param environment looks an environment variable up ({@code System::getenv} in production)
     * @throws TlsConfigurationException when the variable is unset or the file cannot be read
     */
    char[] resolve(UnaryOperator<String> environment);

    static SecretSource none() {
        return None.INSTANCE;
    }

    /** No password. */
    enum None implements SecretSource {
        INSTANCE;

        @Override
        public char[] resolve(UnaryOperator<String> environment) {
            return new char[0];
        }
    }

    /** The value of an environment variable. */
    record EnvironmentVariable(String name) implements SecretSource {
        public EnvironmentVariable {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public char[] resolve(UnaryOperator<String> environment) {
            String value = environment.apply(name);
            if (value == null) {
                throw new TlsConfigurationException("environment variable " + name + " is not set");
            }
            return value.toCharArray();
        }
    }

    /** The first line of a file (a trailing newline, as editors and {@code echo} write it, is not part of it). */
    record File(Path path) implements SecretSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public char[] resolve(UnaryOperator<String> environment) {
            try {
                String content = Files.readString(path, StandardCharsets.UTF_8);
                int end = content.indexOf('\n');
                String line = end < 0 ? content : content.substring(0, end);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new TlsConfigurationException("cannot read password file " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
