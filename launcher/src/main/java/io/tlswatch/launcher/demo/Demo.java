package io.tlswatch.launcher.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.launcher.fleet.FleetManifest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A running demo: the services, the fleet and the view that refreshes on its own thread. {@link #stop()}
 * prints the summary and shuts everything down; it is idempotent, so Ctrl-C and {@code --duration} may race.
 */
public final class Demo {

    private final DemoServices services;
    private final LiveView view;
    private final ScheduledExecutorService refresher;
    private final PrintWriter out;
    private final Path workDir;
    private final boolean temporary;
    private boolean stopped;

    private Demo(DemoServices services, LiveView view, ScheduledExecutorService refresher, PrintWriter out,
                 Path workDir, boolean temporary) {
        this.services = services;
        this.view = view;
        this.refresher = refresher;
        this.out = out;
        this.workDir = workDir;
        this.temporary = temporary;
    }

    public static Demo start(DemoSettings settings, PrintWriter out, Instant commandStarted) {
        Path workDir;
        boolean temporary = settings.workDir().isEmpty();
        try {
            workDir = temporary ? Files.createTempDirectory("tlswatch-demo-")
                    : Files.createDirectories(settings.workDir().get().toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's directory", e);
        }
        DemoLogging.toFile(workDir.resolve("demo.log"));
        out.printf("tlswatch demo: logs go to %s%n", workDir.resolve("demo.log"));
        int[] step = {0};
        LiveView[] view = new LiveView[1];
        DemoServices services = DemoServices.start(settings, workDir, message -> {
            out.printf(java.util.Locale.ROOT, "[%d/%d] %5.1f s  %s ...%n", ++step[0], DemoServices.STEPS,
                    java.time.Duration.between(commandStarted, Instant.now()).toMillis() / 1000.0, message);
            out.flush();
        }, alert -> {
            if (view[0] != null) {
                view[0].alert(alert);
            }
        });
        FleetManifest.write(services.fleet().members(), workDir.resolve("fleet.json"));
        writeEndpoints(services, workDir.resolve("endpoints.json"));
        view[0] = new LiveView(services, out, settings.ansi(), commandStarted);
        out.printf("Ready in %.1f s: %s.%n", java.time.Duration.between(commandStarted, Instant.now()).toMillis() / 1000.0,
                settings.fleet());
        services.endpoints().forEach((name, url) -> out.printf("  %-16s %s%n", name, url));
        out.printf("  %-16s %s%n", "fleet manifest", workDir.resolve("fleet.json"));
        out.flush();
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tlswatch-demo-view");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(view[0]::refresh, settings.refreshEvery().toMillis(),
                settings.refreshEvery().toMillis(), TimeUnit.MILLISECONDS);
        return new Demo(services, view[0], refresher, out, workDir, temporary);
    }

    /** Prints the summary, then closes the fleet and every service, newest first. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.println();
        out.print(view.summary());
        out.println("Stopping the fleet and the services ...");
        out.flush();
        view.close();
        services.close();
        if (temporary) {
            deleteTree(workDir);
        }
        out.println("Demo stopped.");
        out.flush();
    }

    private static void writeEndpoints(DemoServices services, Path file) {
        ObjectNode root = Json.mapper().createObjectNode();
        services.endpoints().forEach(root::put);
        root.put("streams", services.streamsUrl().toString());
        write(file, root);
    }

    private static void write(Path file, ObjectNode node) {
        try {
            Files.writeString(file, Json.writer().withDefaultPrettyPrinter().writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

}
