package io.tlswatch.notifier.routing;

import io.tlswatch.contract.event.AlertEvent;

import java.util.List;
import java.util.Objects;

/** Picks the destinations of an alert: every destination whose route matches it, in configuration order. */
public final class Router<D> {

    /** A destination with its route. */
    public record Routed<D>(Route route, D destination) {
        public Routed {
            Objects.requireNonNull(route, "route");
            Objects.requireNonNull(destination, "destination");
        }
    }

    private final List<Routed<D>> routes;

    public Router(List<Routed<D>> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<D> destinations(AlertEvent alert) {
        return routes.stream().filter(r -> r.route().matches(alert)).map(Routed::destination).toList();
    }
}
