package io.tlswatch.launcher.fleet;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One simulated installation as the plan has it: its name in the demo, the stack it starts on and the change it
 * makes later (if any), its license, the loopback address it connects from, and when it first checks in.
 *
 * @param grace the offline grace of its license: a short one makes it {@code at_risk} once it is stuck after a
 *              valid check
 */
public record PlannedClient(String name, Stack initial, Optional<StackChange> change, LicenseKind license,
                            Duration grace, String address, boolean behindNat, Duration firstCheck) {
    public PlannedClient {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(firstCheck, "firstCheck");
    }

    /** The stack it runs {@code elapsed} after the fleet started. */
    public Stack stackAt(Duration elapsed) {
        return change.filter(c -> elapsed.compareTo(c.after()) >= 0).map(StackChange::to).orElse(initial);
    }

    /** The stack it ends on. */
    public Stack finalStack() {
        return change.map(StackChange::to).orElse(initial);
    }
}
