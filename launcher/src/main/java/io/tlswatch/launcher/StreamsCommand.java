package io.tlswatch.launcher;

import io.tlswatch.common.config.ConfigException;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code tlswatch streams}: the posture job, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "streams",
        mixinStandardHelpOptions = true,
        description = {"Runs the posture job: correlates handshakes, license checks and client reports per client,",
                "flags clients stuck on outdated TLS, and answers queries about them. Any number may run.",
                "With no configuration: query API and admin on port 9403, Kafka at localhost:9092. "
                        + "Keys: docs/streams.md."})
final class StreamsCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A key=value configuration file; TLSWATCH_* environment variables override it.")
    private Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PostureJob job;
        try {
            job = PostureJob.start(PostureJobConfig.load(config, System.getenv()));
        } catch (ConfigException e) {
            err.println("tlswatch streams: configuration refused: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("tlswatch streams: could not start: " + e.getMessage());
            return 1;
        }
        out.printf("Streams ready (query API and admin on http://localhost:%d/). Press Ctrl-C to stop.%n", job.port());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            job.close();
            out.println("Streams stopped.");
            out.flush();
            stopped.countDown();
        }, "tlswatch-streams-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
