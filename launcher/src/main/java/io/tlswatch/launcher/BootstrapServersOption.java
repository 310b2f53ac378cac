package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topic;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
     * The Kafka settings of a command that talks to Kafka itself: the {@code kafka.*} and {@code topics.*} keys
     * of {@code configFile} (none when it is null), read as the services read them, so that its topics carry the
     * deployment's {@code topics.prefix}; the brokers given on the command line win over the file's, and
     * {@link #DEFAULT} comes last.
     */
    KafkaSettings settings(Path configFile) {
        Map<String, String> values = configFile == null ? Map.of()
                : ConfigSource.load(configFile, Map.of(), TopicSettings.KEYS, List.of(KafkaSettings.PREFIX)).all();
        KafkaSettings fromFile = KafkaSettings.fromPrefixed(values, DEFAULT);
        return new KafkaSettings(bootstrapServers != null ? bootstrapServers : fromFile.bootstrapServers(),
                fromFile.passthrough(), fromFile.topics());
    }

    /**
     * The topic an admin command uses: the one named by its {@code --topic} in full, else the catalogue's under
     * the deployment's {@code topics.prefix}, as the services name it.
     */
    static <K, V> Topic<K, V> topic(KafkaSettings settings, Topic<K, V> catalogue, String given) {
        return given == null ? settings.topics().named(catalogue) : catalogue.withName(given);
    }

    /** The brokers given, or {@link #DEFAULT}. */
    String orDefault() {
        return bootstrapServers == null ? DEFAULT : bootstrapServers;
    }
}
