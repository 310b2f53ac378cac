package io.tlswatch.launcher;

import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code tlswatch validator}: the license server, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "validator",
        mixinStandardHelpOptions = true,
        description = {"Runs the license validation server (HTTPS) that records every TLS handshake.",
                "With no configuration: port 8443, admin port 9401, Kafka at localhost:9092, and a development "
                        + "certificate. Keys: docs/validator.md."})
final class ValidatorCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private final ServiceOptions service = new ServiceOptions();

    @Override
    public Integer call() {
        return service.run(
                config -> Validator.start(ValidatorConfig.load(config, System.getenv()), Clock.systemUTC()),
                v -> String.format("Validator ready on https://localhost:%d/ (admin on http://localhost:%d/).", v.port(),
                        v.adminPort()),
                ForegroundService::never);
    }
}
