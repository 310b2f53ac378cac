package io.tlswatch.notifier.cohort;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The cohort meters, registered at start so that a notifier that never opened a cohort shows 0. */
public final class CohortMeters {

    private final Counter opened;
    private final Counter resolved;
    private final Counter suppressedFiring;
    private final Counter suppressedResolved;

    public CohortMeters(MeterRegistry meters) {
        opened = cohorts(meters, "opened");
        resolved = cohorts(meters, "resolved");
        suppressedFiring = suppressed(meters, "firing");
        suppressedResolved = suppressed(meters, "resolved");
    }

    private static Counter cohorts(MeterRegistry meters, String event) {
        return Counter.builder("tlswatch.notifier.cohorts")
                .description("Cohorts of clients failing for one cause, paged once: opened and resolved")
                .tag("event", event).register(meters);
    }

    private static Counter suppressed(MeterRegistry meters, String status) {
        return Counter.builder("tlswatch.notifier.cohort.suppressed")
                .description("Per-client alerts not paged because their cohort was paged instead")
                .tag("status", status).register(meters);
    }

    void opened() {
        opened.increment();
    }

    void resolved() {
        resolved.increment();
    }

    void suppressedFiring(int count) {
        suppressedFiring.increment(count);
    }

    void suppressedResolved() {
        suppressedResolved.increment();
    }
}
