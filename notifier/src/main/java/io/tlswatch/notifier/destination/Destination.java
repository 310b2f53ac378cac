package io.tlswatch.notifier.destination;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.notifier.config.TargetKind;

import java.net.http.HttpRequest;

/**
 * One pager endpoint: turns an alert (firing or resolved) into the request its API expects. Built once per
 * attempt, so time-dependent parts (a signature's timestamp) are fresh on every retry.
 */
public interface Destination {

    /** Its name, kind, URL and timeout as configured. */
    Endpoint endpoint();

    /** The configured name. */
    default String name() {
        return endpoint().name();
    }

    /** The API it speaks. */
    default TargetKind kind() {
        return endpoint().kind();
    }

    /** The request that delivers {@code alert}, firing or resolved, under its dedup key. */
    HttpRequest request(AlertEvent alert);

    /** {@code text} with this target's secrets taken out, for logs and dead letters; null stays null. */
    default String redact(String text) {
        return text;
    }
}
