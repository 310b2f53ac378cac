package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.launcher.demo.Demo;
import io.tlswatch.launcher.demo.DemoSettings;
import io.tlswatch.launcher.fleet.FleetOptions;
import io.tlswatch.launcher.fleet.LegacyClientProtocols;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code tlswatch demo}: the whole pipeline in this process, with a simulated fleet, until Ctrl-C or --duration. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline in one process, with a simulated fleet of clients.",
                "An embedded Kafka broker, the validator, the collector, the posture job and the notifier, and clients "
                        + "with a mix of TLS stacks. Shows clients by posture, stuck clients with their evidence, and "
                        + "alerts as they fire and resolve. Details: docs/demo.md."})
final class DemoCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long with a summary (90s, 5m, PT5M); default: run until Ctrl-C.")
    private String duration;

    @CommandLine.Mixin
    private final FleetPlanOptions fleet = new FleetPlanOptions();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Keep certificates, client state, fleet.json, endpoints.json and webhook.log here (default: a temporary directory, deleted at the end).")
    private Path workDir;

    @Option(names = "--plain", description = "Print periodic lines instead of redrawing the screen (the default when the output is not a terminal).")
    private boolean plain;

    @Option(names = "--topics-prefix", paramLabel = "PREFIX", description = "topics.prefix of every service the demo runs: put in front of every topic name, e.g. acme. (default: none).")
    private String topicsPrefix;

    @Option(names = "--refresh", defaultValue = "2s", paramLabel = "DURATION", description = "How often the view is refreshed (default: ${DEFAULT-VALUE}; plain lines every 5 times that).")
    private String refresh;

    @Override
    public Integer call() {
        Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoSettings settings;
        try {
            FleetOptions options = fleet.toOptions();
            boolean ansi = !plain && System.console() != null;
            Duration every = FleetPlanOptions.duration("--refresh", refresh);
            TopicSettings topics = FleetPlanOptions.named("--topics-prefix",
                    () -> topicsPrefix == null ? TopicSettings.DEFAULTS
                            : TopicSettings.from(Map.of(TopicSettings.KEY_PREFIX, topicsPrefix)));
            settings = new DemoSettings(Optional.ofNullable(duration).map(d -> FleetPlanOptions.duration("--duration", d)),
                    options, Optional.ofNullable(workDir), ansi, ansi ? every : every.multipliedBy(5), topics);
        } catch (IllegalArgumentException | ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Before anything in this JVM touches TLS: the simulated old runtimes need TLS 1.0 and 1.1 back.
        LegacyClientProtocols.allow();
        Demo demo;
        try {
            demo = Demo.start(settings, out, started);
        } catch (RuntimeException e) {
            err.println("tlswatch demo: could not start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.stop();
            stopped.countDown();
        }, "tlswatch-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (settings.duration().isPresent()) {
                if (!stopped.await(settings.duration().get().toMillis(), TimeUnit.MILLISECONDS)) {
                    demo.stop();
                }
            } else {
                stopped.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
