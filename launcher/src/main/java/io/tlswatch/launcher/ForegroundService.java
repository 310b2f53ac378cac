package io.tlswatch.launcher;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.tlsserver.tls.TlsConfigurationException;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one service in the foreground, the same way for every service command: start it (exit 2 when its
 * configuration is refused, 1 when it cannot start), say where it is, wait for Ctrl-C or SIGTERM and close it
 * from the shutdown hook (exit 0), or exit 1 when the service stops working on its own, so that a supervisor
 * restarts it.
 *
 * @param <S> the running service
 */
final class ForegroundService<S extends AutoCloseable> {

    private final String name;
    private final PrintWriter out;
    private final PrintWriter err;

    /** @param name the command's name, as the user typed it ({@code validator}) */
    ForegroundService(String name, PrintWriter out, PrintWriter err) {
        this.name = name;
        this.out = out;
        this.err = err;
    }

    /**
     * @param start   starts the service; a {@link ConfigException} or {@link TlsConfigurationException} means
     *                its configuration was refused
     * @param ready   the line that says where it listens
     * @param failure completes with a reason when the service stops working on its own; never completes for
     *                services that cannot
     */
    int run(Supplier<S> start, Function<S, String> ready, Function<S, CompletableFuture<?>> failure) {
        S service;
        try {
            service = start.get();
        } catch (ConfigException | TlsConfigurationException e) {
            err.println("tlswatch " + name + ": configuration refused: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("tlswatch " + name + ": could not start: " + e.getMessage());
            return 1;
        }
        out.println(ready.apply(service) + " Press Ctrl-C to stop.");
        out.flush();
        CompletableFuture<String> signalled = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                err.println("tlswatch " + name + ": " + e.getMessage());
            }
            out.println(Character.toUpperCase(name.charAt(0)) + name.substring(1) + " stopped.");
            out.flush();
            signalled.complete(null);
        }, "tlswatch-" + name + "-stop"));
        CompletableFuture<?> failed = failure.apply(service);
        try {
            CompletableFuture.anyOf(signalled, failed).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            err.println("tlswatch " + name + ": " + e.getCause().getMessage());
            return 1;
        }
        if (failed.isDone() && !signalled.isDone()) {
            // The shutdown hook closes what is still open when the JVM exits.
            Object reason = failed.join();
            err.println("tlswatch " + name + ": stopped working: "
                    + (reason instanceof Throwable t ? t.toString() : String.valueOf(reason)));
            return 1;
        }
        return 0;
    }

    /** For services that keep running until closed. */
    static <S> CompletableFuture<?> never(S service) {
        return new CompletableFuture<>();
    }
}
