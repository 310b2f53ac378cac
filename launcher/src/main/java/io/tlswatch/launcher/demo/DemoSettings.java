package io.tlswatch.launcher.demo;

import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.launcher.fleet.FleetOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code tlswatch demo} was asked for.
 *
 * @param duration how long to run; empty: until Ctrl-C or SIGTERM
 * @param workDir  where the certificates, SDK state, fleet manifest and webhook log go; empty: a temporary
 *                 directory deleted at the end
 * @param ansi     redraw the view in place (a terminal) rather than print periodic lines
 * @param topics   how the demo's topics are named ({@code topics.prefix}), handed to every service it runs
 */
public record DemoSettings(Optional<Duration> duration, FleetOptions fleet, Optional<Path> workDir, boolean ansi,
                           Duration refreshEvery, TopicSettings topics) {
    public DemoSettings {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(refreshEvery, "refreshEvery");
        Objects.requireNonNull(topics, "topics");
    }
}
