package io.tlswatch.launcher;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code tlswatch collector}: the client report collector, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "collector",
        mixinStandardHelpOptions = true,
        description = {"Runs the collector of client-side TLS error reports (SDK JSON and W3C NEL) over HTTP and HTTPS.",
                "With no configuration: HTTP on 8080, HTTPS on 8444 (TLS 1.0 to 1.3, development certificate), "
                        + "admin port 9402, Kafka at localhost:9092. Keys: docs/collector.md."})
final class CollectorCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private final ServiceOptions service = new ServiceOptions();

    @Override
    public Integer call() {
        return service.run(
                config -> Collector.start(CollectorConfig.load(config, System.getenv()), Clock.systemUTC()),
                c -> String.format("Collector ready on http://localhost:%d/%s (admin on http://localhost:%d/).", c.httpPort(),
                        c.httpsPort() < 0 ? "" : " and https://localhost:" + c.httpsPort() + "/", c.adminPort()),
                ForegroundService::never);
    }
}
