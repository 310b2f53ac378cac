package io.tlswatch.notifier.config;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything the notifier reads from its configuration, loaded once and checked at start-up. Keys, defaults
 * and meanings are listed in docs/alerting.md; an unknown key is an error naming it.
 *
 * @param targets the delivery targets, in the order of {@code targets}
 * @param cohorts when clients failing for one cause are paged once
 */
public record NotifierConfig(String adminHost, int adminPort, String nodeName, String groupId,
                             List<TargetConfig> targets, DeliverySettings delivery, Duration readyTimeout,
                             Duration shutdownGrace, KafkaSettings kafka, CohortSettings cohorts) {

    public static final Set<String> KEYS = Stream.concat(Stream.of("admin.host", "admin.port", "node.name",
            "consumer.groupId", "targets", "delivery.maxAttempts", "delivery.initialBackoff", "delivery.maxBackoff",
            "delivery.maxRetryAfter", "startup.timeout", "shutdown.grace", CohortSettings.THRESHOLD, CohortSettings.WINDOW,
            CohortSettings.QUERY_BASE_URL), TopicSettings.KEYS.stream()).collect(Collectors.toUnmodifiableSet());

    public NotifierConfig {
        targets = List.copyOf(targets);
    }

    public static NotifierConfig load(Path file, Map<String, String> environment) {
        return from(ConfigSource.load(file, environment, KEYS, List.of(KafkaSettings.PREFIX, TargetConfigReader.PREFIX)));
    }

    public static NotifierConfig from(ConfigSource c) {
        DeliverySettings delivery = ConfigSource.checked("delivery.maxBackoff", () -> new DeliverySettings(
                c.integer("delivery.maxAttempts", 8, 1, 100),
                c.positiveDuration("delivery.initialBackoff", Duration.ofSeconds(1)),
                c.positiveDuration("delivery.maxBackoff", Duration.ofMinutes(5)),
                c.positiveDuration("delivery.maxRetryAfter", Duration.ofMinutes(10))));
        List<String> names = c.list("targets", List.of());
        if (names.isEmpty()) {
            throw new ConfigException("targets must name at least one target, e.g. targets=pagerduty1 with "
                    + "target.pagerduty1.kind=pagerduty (docs/alerting.md)");
        }
        return new NotifierConfig(
                c.string("admin.host", "0.0.0.0"),
                c.integer("admin.port", 9404, 0, 65_535),
                c.string("node.name", ConfigSource.localHostName()),
                c.string("consumer.groupId", "tlswatch-notifier"),
                TargetConfigReader.read(c, names, delivery),
                delivery,
                c.positiveDuration("startup.timeout", Duration.ofSeconds(60)),
                c.positiveDuration("shutdown.grace", Duration.ofSeconds(10)),
                ConfigSource.checked("kafka.bootstrap.servers", () -> KafkaSettings.fromPrefixed(c.all(), "localhost:9092")),
                CohortSettings.from(c));
    }

    /** The emitting node in dead letters, {@code notifier@<node.name>}. */
    public String source() {
        return "notifier@" + nodeName;
    }
}
