package io.tlswatch.launcher;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.common.config.ConfigException;
import io.tlswatch.common.tlsserver.TlsConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code tlswatch collector}: the client report collector, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "collector",
        mixinStandardHelpOptions = true,
        description = {"Runs the collector of client-side TLS error reports (SDK JSON and W3C NEL) over HTTP and HTTPS.",
                "With no configuration: HTTP on 8080, HTTPS on 8444 (TLS 1.0 to 1.3, development certificate), "
                        + "admin port 9402, Kafka at localhost:9092. Keys: docs/collector.md."})
final class CollectorCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A key=value configuration file; TLSWATCH_* environment variables override it.")
    private Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Collector collector;
        try {
            collector = Collector.start(CollectorConfig.load(config, System.getenv()), Clock.systemUTC());
        } catch (ConfigException | TlsConfigurationException e) {
            err.println("tlswatch collector: configuration refused: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("tlswatch collector: could not start: " + e.getMessage());
            return 1;
        }
        out.printf("Collector ready on http://localhost:%d/%s (admin on http://localhost:%d/). Press Ctrl-C to stop.%n",
                collector.httpPort(), collector.httpsPort() < 0 ? "" : " and https://localhost:" + collector.httpsPort() + "/",
                collector.adminPort());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            collector.close();
            out.println("Collector stopped.");
            out.flush();
            stopped.countDown();
        }, "tlswatch-collector-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
