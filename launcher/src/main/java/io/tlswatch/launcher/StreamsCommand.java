package io.tlswatch.launcher;

import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code tlswatch streams}: the posture job, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "streams",
        mixinStandardHelpOptions = true,
        description = {"Runs the posture job, which flags the clients stuck on outdated TLS.",
                "It correlates handshakes, license checks and client reports per client, and answers queries about "
                        + "them. Any number may run.",
                "With no configuration: query API and admin on port 9403, Kafka at localhost:9092. "
                        + "Keys: docs/streams.md."})
final class StreamsCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private final ServiceOptions service = new ServiceOptions();

    @Override
    public Integer call() {
        return service.run(
                config -> PostureJob.start(PostureJobConfig.load(config, System.getenv())),
                job -> String.format("Streams ready (query API and admin on http://localhost:%d/).", job.port()),
                ForegroundService::never);
    }
}
