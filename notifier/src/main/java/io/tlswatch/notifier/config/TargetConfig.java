package io.tlswatch.notifier.config;

import io.tlswatch.contract.event.Severity;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * One configured target.
 *
 * @param name          the name given in {@code targets}; used in metrics, logs and dead letters
 * @param kind          what it speaks
 * @param url           where to send; {@code null} for Slack, whose URL is the secret
 * @param secret        where its secret comes from; {@code null} for Alertmanager
 * @param severities    the severities routed to it (every severity when not configured)
 * @param kinds         the alert kinds routed to it; empty means every kind
 * @param ratePerMinute deliveries per minute at most; 0 for no limit
 * @param queueCapacity alerts waiting for this target at most before the notifier stops reading new ones
 * @param timeout       how long one request may take
 * @param maxAttempts   attempts per alert before it is dead-lettered
 * @param firingTtl     Alertmanager only: how long a firing alert stays active there without a resolve
 */
public record TargetConfig(String name, TargetKind kind, URI url, Secret secret, Set<Severity> severities,
                           Set<String> kinds, int ratePerMinute, int queueCapacity, Duration timeout, int maxAttempts,
                           Duration firingTtl) {

    public TargetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        severities = Set.copyOf(severities);
        kinds = Set.copyOf(kinds);
        Objects.requireNonNull(timeout, "timeout");
    }
}
