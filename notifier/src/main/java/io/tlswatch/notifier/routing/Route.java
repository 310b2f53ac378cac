package io.tlswatch.notifier.routing;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.Severity;

import java.util.Set;

/**
 * Which alerts go to one target: those of one of {@code severities} and, when {@code kinds} is not empty, of one
 * of those kinds. A resolve goes where its firing went, because it carries the same severity and kind. A cohort
 * ({@code client_cohort}) also goes where the client alerts it stands for go ({@code client_posture}).
 */
public record Route(Set<Severity> severities, Set<String> kinds) {

    public Route {
        severities = Set.copyOf(severities);
        kinds = Set.copyOf(kinds);
    }

    public boolean matches(AlertEvent alert) {
        return severities.contains(alert.severity()) && (kinds.isEmpty() || kinds.contains(alert.kind())
                || AlertEvent.KIND_CLIENT_COHORT.equals(alert.kind()) && kinds.contains(AlertEvent.KIND_CLIENT_POSTURE));
    }
}
