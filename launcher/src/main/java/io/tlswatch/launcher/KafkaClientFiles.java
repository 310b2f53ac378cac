package io.tlswatch.launcher;

import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.devkafka.Security;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The principals of {@code tlswatch kafka --secure} (an admin and one user per service) and the configuration files
 * that hold their {@code kafka.*} settings, one {@code <principal>.properties} each.
 */
final class KafkaClientFiles {

    static final String ADMIN = "admin";
    static final List<String> SERVICES = List.of("validator", "collector", "streams", "notifier");

    private KafkaClientFiles() {
    }

    /** SASL_SSL with ACLs, the admin the only super user, every service a user with a generated password. */
    static Security security() {
        Security security = Security.scram(ADMIN);
        for (String service : SERVICES) {
            security = security.withUser(service);
        }
        return security;
    }

    /**
     * Writes the files into {@code dir} (or {@code clients/} in the broker's data directory) and tells the developer
     * where they are and what is granted: nothing yet.
     */
    static void writeAndTell(Function<String, Map<String, String>> clientSettings, Path dir, Path dataDir,
                             PrintWriter out) {
        Path target = dir == null ? dataDir.resolve("clients") : dir.toAbsolutePath();
        List<Path> files = write(clientSettings, target);
        out.printf("SASL_SSL (SCRAM-SHA-512) with ACLs: client settings in %s%n", target);
        files.forEach(file -> out.printf("  %s%n", file.getFileName()));
        out.println("  Only admin may do anything until you grant the ACLs docs/kafka.md lists per service.");
    }

    /**
     * Writes one file per principal into {@code dir}, readable by the owner only (they hold passwords). A service's
     * file also says {@code kafka.topics.create=never}: its principal may not create topics.
     *
     * @return the files written, the admin's first
     */
    static List<Path> write(Function<String, Map<String, String>> clientSettings, Path dir) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            files.add(write(dir, ADMIN, clientSettings.apply(ADMIN),
                    "Super user: `tlswatch topics create --config` and granting ACLs (docs/kafka.md)"));
            for (String service : SERVICES) {
                Map<String, String> settings = new LinkedHashMap<>(clientSettings.apply(service));
                settings.put(TopicSettings.KEY_CREATE, "never");
                files.add(write(dir, service, settings, "The " + service + "'s Kafka settings: no ACL is granted"
                        + " yet; grant those docs/kafka.md lists for it"));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the client settings into " + dir, e);
        }
    }

    private static Path write(Path dir, String principal, Map<String, String> settings, String comment)
            throws IOException {
        Path file = dir.resolve(principal + ".properties");
        StringBuilder text = new StringBuilder("# ").append(comment).append('\n')
                .append("# User:").append(principal).append(", valid while this `tlswatch kafka --secure` runs\n");
        settings.forEach((key, value) -> text.append(key).append('=').append(escape(value)).append('\n'));
        Files.deleteIfExists(file);
        Files.createFile(file);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the directory's own permissions apply.
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** A properties value as {@link java.util.Properties#load} reads it back: backslashes doubled. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
