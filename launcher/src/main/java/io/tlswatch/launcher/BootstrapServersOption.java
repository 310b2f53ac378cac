package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaSettings;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --bootstrap-servers}, the Kafka brokers, for every command that talks to Kafka itself. {@code --kafka},
 * its earlier name in {@code tlswatch fleet}, still works for one release, with a warning.
 */
final class BootstrapServersOption {

    static final String NAME = "--bootstrap-servers";
    static final String DEFAULT = "localhost:9092";

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandSpec command;

    // Spelled out rather than NAME: dashboards' DockerComposeTest reads the fleet's options from these sources.
    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS",
            description = "Kafka brokers, host:port[,host:port...] (default: " + DEFAULT + ").")
    private String bootstrapServers;

    @Option(names = "--kafka", paramLabel = "HOSTS", hidden = true, description = "Deprecated: use " + NAME + ".")
    private void deprecatedKafka(String hosts) {
        command.commandLine().getErr().println(command.qualifiedName() + ": --kafka is deprecated and will be "
                + "removed; use " + NAME + " " + hosts);
        bootstrapServers = hosts;
    }

    /** The brokers given, or null when neither option was. */
    String given() {
        return bootstrapServers;
    }

    /**
     * The Kafka client settings of an admin command: the {@code kafka.*} keys of {@code configFile} (none when it
     * is null), with the brokers given on the command line winning over the file's, and {@link #DEFAULT} last.
     */
    KafkaSettings settings(Path configFile) {
        Map<String, String> values = configFile == null ? Map.of()
                : ConfigSource.load(configFile, Map.of(), Set.of(), List.of(KafkaSettings.PREFIX)).all();
        KafkaSettings fromFile = KafkaSettings.fromPrefixed(values, DEFAULT);
        return new KafkaSettings(bootstrapServers != null ? bootstrapServers : fromFile.bootstrapServers(),
                fromFile.passthrough());
    }

    /** The brokers given, or {@link #DEFAULT}. */
    String orDefault() {
        return bootstrapServers == null ? DEFAULT : bootstrapServers;
    }
}
