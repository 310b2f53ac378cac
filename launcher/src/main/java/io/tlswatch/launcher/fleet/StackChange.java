package io.tlswatch.launcher.fleet;

import java.time.Duration;
import java.util.Objects;

/** At {@code after} from the fleet's start, the installation moves to {@code to} (an upgrade or a downgrade). */
public record StackChange(Duration after, Stack to) {
    public StackChange {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(to, "to");
    }
}
