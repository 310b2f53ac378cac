package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaAccessDenied;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.kafka.TopicCheck;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tlswatch topics create|check}: for the operator who creates the topics by hand (with an admin principal)
 * and runs the services with {@code kafka.topics.create=never} (docs/kafka.md).
 */
@Command(name = "topics",
        mixinStandardHelpOptions = true,
        description = {"Creates or checks every tlswatch topic, as the services expect them.",
                "For clusters where the services may not create topics (kafka.topics.create=never)."},
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Check.class})
final class TopicsCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Every topic a service creates or checks: the catalogue and the streams job's dead letters. */
    static List<Topic<?, ?>> all() {
        List<Topic<?, ?>> topics = new ArrayList<>(Topics.ALL);
        topics.add(Topics.STREAMS_DEAD_LETTERS);
        return List.copyOf(topics);
    }

    /** The options both subcommands share. */
    abstract static class Operation implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "A file whose kafka.* keys pass through to the Kafka client (security settings of an "
                        + "admin principal) and whose topics.* keys name and replicate the topics, as the services'.")
        Path config;

        @Option(names = "--prefix", paramLabel = "PREFIX", description = "topics.prefix: put in front of every name.")
        String prefix;

        @Option(names = "--replication-factor", paramLabel = "N",
                description = "topics.replicationFactor (default: min(3, brokers)).")
        Integer replicationFactor;

        @Option(names = "--min-insync-replicas", paramLabel = "N",
                description = "topics.minInsyncReplicas (default: the broker's).")
        Integer minInsyncReplicas;

        @Option(names = "--partitions", defaultValue = "0",
                description = "Partitions per topic (default: the catalogue's, " + Topics.DEFAULT_PARTITIONS + ").")
        int partitions;

        @Option(names = "--timeout", defaultValue = "PT60S",
                description = "Bound of the whole operation (ISO-8601, default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @CommandLine.Mixin
        BootstrapServersOption kafka = new BootstrapServersOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            String command = "tlswatch topics " + spec.name();
            if (partitions < 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--partitions must be 0 or more");
            }
            KafkaSettings settings;
            try {
                settings = settings();
            } catch (ConfigException e) {
                err.println(command + ": " + e.getMessage());
                return 2;
            }
            List<Topic<?, ?>> topics = settings.topics().named(all());
            try (Admin admin = Admin.create(settings.admin())) {
                return run(admin, settings, topics, spec.commandLine().getOut());
            } catch (KafkaAccessDenied e) {
                err.println(command + ": " + e.getMessage());
                return 3;
            } catch (RuntimeException e) {
                err.println(command + ": " + e.getMessage());
                return 1;
            }
        }

        abstract int run(Admin admin, KafkaSettings settings, List<Topic<?, ?>> topics, PrintWriter out);

        private KafkaSettings settings() {
            Map<String, String> values = new HashMap<>(config == null ? Map.of()
                    : ConfigSource.load(config, Map.of(), TopicSettings.KEYS, List.of(KafkaSettings.PREFIX)).all());
            if (prefix != null) {
                values.put(TopicSettings.KEY_PREFIX, prefix);
            }
            if (replicationFactor != null) {
                values.put(TopicSettings.KEY_REPLICATION_FACTOR, String.valueOf(replicationFactor));
            }
            if (minInsyncReplicas != null) {
                values.put(TopicSettings.KEY_MIN_INSYNC_REPLICAS, String.valueOf(minInsyncReplicas));
            }
            if (kafka.given() != null) {
                values.put(KafkaSettings.PREFIX + "bootstrap.servers", kafka.given());
            }
            return KafkaSettings.fromPrefixed(values, BootstrapServersOption.DEFAULT);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates the missing topics, then checks every topic is as the services expect.",
                    "Exit 0: all as expected; 1: a topic differs or Kafka failed; 2: bad configuration; "
                            + "3: an ACL is missing."})
    static final class Create extends Operation {
        @Override
        int run(Admin admin, KafkaSettings settings, List<Topic<?, ?>> topics, PrintWriter out) {
            TopicBootstrap.Result result = new TopicBootstrap(admin, timeout, partitions, settings.topics(),
                    settings.principal()).ensure(topics);
            result.created().forEach(name -> out.println("created  " + name));
            result.existing().forEach(name -> out.println("existing " + name));
            // An existing topic may differ from what the services check: say so now, not at their start.
            List<String> problems = new TopicCheck(admin, timeout, settings.topics(), partitions,
                    settings.principal()).problems(topics);
            problems.forEach(problem -> out.println("DIFFERS  " + problem));
            out.printf("%d topics: %d created, %d already there, %d problems%n", topics.size(),
                    result.created().size(), result.existing().size(), problems.size());
            out.flush();
            return problems.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks every topic exists with the partitions, cleanup policy and retention the services "
                    + "expect; changes nothing.",
                    "Exit 0: all as expected; 1: a topic is missing or differs, or Kafka failed; "
                            + "2: bad configuration; 3: an ACL is missing."})
    static final class Check extends Operation {
        @Override
        int run(Admin admin, KafkaSettings settings, List<Topic<?, ?>> topics, PrintWriter out) {
            List<String> problems = new TopicCheck(admin, timeout, settings.topics(), partitions,
                    settings.principal()).problems(topics);
            problems.forEach(out::println);
            out.printf("%d topics checked: %s%n", topics.size(),
                    problems.isEmpty() ? "all as expected" : problems.size() + " problems");
            out.flush();
            return problems.isEmpty() ? 0 : 1;
        }
    }
}
