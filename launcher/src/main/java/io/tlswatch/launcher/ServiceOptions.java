package io.tlswatch.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What every service command takes (a configuration file, which {@code TLSWATCH_*} environment variables
 * override) and how it runs the service: in the foreground, as {@link ForegroundService} does.
 */
final class ServiceOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A key=value configuration file; TLSWATCH_* environment variables override it.")
    private Path config;

    /**
     * @param start   starts the service from the configuration file ({@code null} when none was given)
     * @param ready   the line that says where it listens
     * @param failure completes when the service stops working on its own
     * @return the exit code
     */
    <S extends AutoCloseable> int run(Function<Path, S> start, Function<S, String> ready,
                                      Function<S, CompletableFuture<?>> failure) {
        CommandLine commandLine = command.commandLine();
        return new ForegroundService<S>(command.name(), commandLine.getOut(), commandLine.getErr())
                .run(() -> start.apply(config), ready, failure);
    }
}
