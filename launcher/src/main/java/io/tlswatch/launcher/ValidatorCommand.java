package io.tlswatch.launcher;

import io.tlswatch.common.config.ConfigException;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import io.tlswatch.common.tlsserver.TlsConfigurationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code tlswatch validator}: the license server, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "validator",
        mixinStandardHelpOptions = true,
        description = {"Runs the license validation server (HTTPS) that records every TLS handshake.",
                "With no configuration: port 8443, admin port 9401, Kafka at localhost:9092, and a development "
                        + "certificate. Keys: docs/validator.md."})
final class ValidatorCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "A key=value configuration file; TLSWATCH_* environment variables override it.")
    private Path config;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Validator validator;
        try {
            validator = Validator.start(ValidatorConfig.load(config, System.getenv()), Clock.systemUTC());
        } catch (ConfigException | TlsConfigurationException e) {
            err.println("tlswatch validator: configuration refused: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("tlswatch validator: could not start: " + e.getMessage());
            return 1;
        }
        out.printf("Validator ready on https://localhost:%d/ (admin on http://localhost:%d/). Press Ctrl-C to stop.%n",
                validator.port(), validator.adminPort());
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            validator.close();
            out.println("Validator stopped.");
            out.flush();
            stopped.countDown();
        }, "tlswatch-validator-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
