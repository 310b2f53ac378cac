package io.tlswatch.launcher;

import io.tlswatch.common.config.ConfigException;
import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** {@code tlswatch notifier}: delivers alerts to pagers, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "notifier",
        mixinStandardHelpOptions = true,
        description = {"Delivers the alerts of tlswatch.alerts.v1 to PagerDuty, Opsgenie, Slack, Alertmanager and "
                + "signed webhooks.",
                "Needs at least one target (targets=...); admin port 9404, Kafka at localhost:9092. Keys: docs/alerting.md."})
final class NotifierCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A key=value configuration file; TLSWATCH_* environment variables override it.")
    private Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Notifier notifier;
        try {
            notifier = Notifier.start(NotifierConfig.load(config, System.getenv()), NotifierTopics.defaults(),
                    System::getenv, Clock.systemUTC());
        } catch (ConfigException e) {
            err.println("tlswatch notifier: configuration refused: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("tlswatch notifier: could not start: " + e.getMessage());
            return 1;
        }
        out.printf("Notifier ready (admin on http://localhost:%d/). Press Ctrl-C to stop.%n", notifier.adminPort());
        out.flush();
        CompletableFuture<Void> signalled = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            notifier.close();
            out.println("Notifier stopped.");
            out.flush();
            signalled.complete(null);
        }, "tlswatch-notifier-stop"));
        try {
            CompletableFuture.anyOf(signalled, notifier.failed()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // Neither completes exceptionally.
        }
        if (notifier.failed().isDone() && !signalled.isDone()) {
            // Exit so that a supervisor restarts it; the shutdown hook closes what is open.
            err.println("tlswatch notifier: stopped reading alerts: " + notifier.failed().join());
            return 1;
        }
        return 0;
    }
}
