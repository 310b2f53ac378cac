package io.tlswatch.launcher;

import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

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
        return new ForegroundService<PostureJob>("streams", spec.commandLine().getOut(), spec.commandLine().getErr()).run(
                () -> PostureJob.start(PostureJobConfig.load(config, System.getenv())),
                job -> String.format("Streams ready (query API and admin on http://localhost:%d/).", job.port()),
                ForegroundService::never);
    }
}
