package io.tlswatch.launcher;

import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.devkafka.Security;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code tlswatch kafka}: a development broker with every tlswatch topic, in the foreground until Ctrl-C. */
@Command(name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
                "Runs a development Kafka broker with every tlswatch topic, until Ctrl-C.",
                "A single KRaft node in this process, for development and demos; production runs a real Kafka cluster."})
final class KafkaCommand implements Callable<Integer> {

    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", defaultValue = "9092", description = "Port of the client listener (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's data here across runs (default: a temporary directory, deleted on exit).")
    private Path dataDir;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Partitions per topic (default: the catalogue's, " + Topics.DEFAULT_PARTITIONS + ").")
    private int partitions;

    @Option(names = "--brokers", defaultValue = "1",
            description = "Brokers in the cluster, each a KRaft broker and controller in this process, on --port and "
                    + "the ports after it; with 3 or more, topics have 3 replicas and min.insync.replicas 2 "
                    + "(default: ${DEFAULT-VALUE}).")
    private int brokers;

    @Option(names = "--startup-timeout", defaultValue = "PT60S",
            description = "How long start-up may take before giving up (ISO-8601, default: ${DEFAULT-VALUE}).")
    private Duration startupTimeout;

    // --secure: SASL_SSL with SCRAM-SHA-512 and ACLs (docs/kafka.md, "tlswatch kafka --secure").
    @Option(names = "--secure",
            description = {"SASL_SSL with SCRAM-SHA-512 and ACLs: an admin (the only super user) and one user per"
                    + " service, whose settings are written into --clients-dir. No ACL is granted to the services."})
    private boolean secure;

    @Option(names = "--clients-dir", paramLabel = "DIR",
            description = "With --secure: where to write <principal>.properties (default: clients/ in the data directory).")
    private Path clientsDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (partitions < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--partitions must be 0 or more");
        }
        if (brokers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--brokers must be 1 or more");
        }
        if (brokers > 1) {
            return new KafkaClusterRun(brokers, port, dataDir, partitions, startupTimeout, STOP_LIMIT,
                    secure ? KafkaClientFiles.security() : Security.off(), clientsDir).run(out, err);
        }
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults()
                .withPort(port)
                .withDataDir(dataDir == null ? null : dataDir.toAbsolutePath())
                .withStartupTimeout(startupTimeout)
                .withSecurity(secure ? KafkaClientFiles.security() : Security.off());
        out.printf("Starting Kafka on localhost:%d ...%n", port);
        out.flush();
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start(options);
        } catch (RuntimeException e) {
            err.printf("tlswatch kafka: could not start the broker: %s%n", e.getMessage());
            return 1;
        }
        UntilSignalled untilSignalled = new UntilSignalled(kafka, STOP_LIMIT, out).armed();
        KafkaSettings adminSettings = KafkaSettings.fromPrefixed(kafka.clientSettings(KafkaClientFiles.ADMIN), null);
        try (Admin admin = Admin.create(adminSettings.admin())) {
            TopicBootstrap.Result topics = new TopicBootstrap(admin, startupTimeout, partitions).ensure(Topics.ALL);
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            out.printf("Kafka ready on %s: broker started in %d ms, %d topics ready (%d created), %d ms since the JVM started.%n",
                    kafka.bootstrapServers(), kafka.startupTime().toMillis(), Topics.ALL.size(),
                    topics.created().size(), uptime);
            if (secure) {
                KafkaClientFiles.writeAndTell(kafka::clientSettings, clientsDir, kafka.dataDir(), out);
            }
            out.printf("Data in %s%s. Press Ctrl-C to stop.%n", kafka.dataDir(),
                    dataDir == null ? " (temporary)" : "");
            out.flush();
        } catch (RuntimeException e) {
            err.printf("tlswatch kafka: topics could not be created: %s%n", e.getMessage());
            kafka.close();
            return 1;
        }
        untilSignalled.await();
        return 0;
    }
}
