package io.tlswatch.notifier.routing;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.notifier.Alerts;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RouteTest {

    private final AlertEvent critical = Alerts.firing("inst-1", Severity.CRITICAL);
    private final AlertEvent warning = Alerts.firing("inst-2", Severity.WARNING);

    @Test
    void routesBySeverityAndKind() {
        Router<String> router = new Router<>(List.of(
                new Router.Routed<>(new Route(Set.of(Severity.CRITICAL), Set.of()), "pager"),
                new Router.Routed<>(new Route(EnumSet.allOf(Severity.class), Set.of("client_posture")), "chat"),
                new Router.Routed<>(new Route(EnumSet.allOf(Severity.class), Set.of("fingerprint_outdated")), "fp")));

        assertThat(router.destinations(critical)).containsExactly("pager", "chat");
        assertThat(router.destinations(warning)).containsExactly("chat");
    }

    @Test
    void aResolveGoesWhereItsFiringWent() {
        Route pagerOnly = new Route(Set.of(Severity.CRITICAL), Set.of());

        assertThat(pagerOnly.matches(Alerts.resolved(critical))).isTrue();
        assertThat(pagerOnly.matches(Alerts.resolved(warning))).isFalse();
    }

    @Test
    void aCohortGoesWhereTheClientAlertsItStandsForGo() {
        AlertEvent cohort = warning.toBuilder().dedupKey("tls-cohort:ja4:" + Alerts.JA4).clientId(null)
                .kind(AlertEvent.KIND_CLIENT_COHORT).build();

        assertThat(new Route(EnumSet.allOf(Severity.class), Set.of("client_posture")).matches(cohort)).isTrue();
        assertThat(new Route(EnumSet.allOf(Severity.class), Set.of("client_cohort")).matches(cohort)).isTrue();
        assertThat(new Route(EnumSet.allOf(Severity.class), Set.of("fingerprint_outdated")).matches(cohort)).isFalse();
        assertThat(new Route(Set.of(Severity.CRITICAL), Set.of("client_posture")).matches(cohort)).isFalse();
    }
}
