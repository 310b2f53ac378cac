package io.tlswatch.contract.kafka;

import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks, without changing anything, that topics exist as the catalogue defines them: partitions, cleanup policy,
 * retention and, when configured, replication and {@code min.insync.replicas}. What a service runs with
 * {@code kafka.topics.create=never}, and what {@code tlswatch topics check} prints.
 */
public final class TopicCheck {

    private final Admin admin;
    private final Duration timeout;
    private final TopicSettings settings;
    private final int partitionsOverride;
    private final String principal;

    /**
     * @param partitionsOverride 0 expects each topic's catalogue partition count, a positive number that count
     * @param principal          who the client authenticates as, named in the ACL an access error asks for
     */
    public TopicCheck(Admin admin, Duration timeout, TopicSettings settings, int partitionsOverride,
                      String principal) {
        this.admin = admin;
        this.timeout = timeout;
        this.settings = settings;
        this.partitionsOverride = partitionsOverride;
        this.principal = principal;
    }

    /** Every difference found, one line each ("name: missing", "name: 1 partitions, expected 6"...). */
    public List<String> problems(Collection<? extends Topic<?, ?>> topics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Topic<?, ?>> byName = new LinkedHashMap<>();
        topics.forEach(t -> byName.put(t.name(), t));
        List<String> problems = new ArrayList<>();
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        try {
            Map<String, KafkaFuture<TopicDescription>> described =
                    admin.describeTopics(byName.keySet()).topicNameValues();
            for (String name : byName.keySet()) {
                try {
                    found.put(name, described.get(name).get(remainingMillis(deadline), TimeUnit.MILLISECONDS));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw denied(e, "DESCRIBE", byName.keySet());
                    }
                    problems.add(name + ": missing");
                }
            }
            Map<String, Map<String, String>> configs = configs(found.keySet(), deadline);
            for (TopicDescription description : found.values()) {
                Topic<?, ?> expected = byName.get(description.name());
                TopicState state = new TopicState(description.name(), description.partitions().size(),
                        description.partitions().get(0).replicas().size(), configs.get(description.name()));
                problems.addAll(state.differencesFrom(expected,
                        partitionsOverride > 0 ? partitionsOverride : expected.partitions(),
                        settings.replicationFactor(), settings.minInsyncReplicas()));
            }
            return problems;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not described within " + timeout, e);
        }
    }

    /**
     * Fails, naming every difference, unless the topics are as expected.
     *
     * @throws IllegalStateException listing what is missing or different, and how to fix it
     */
    public void verify(Collection<? extends Topic<?, ?>> topics) {
        List<String> problems = problems(topics);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(message(problems));
        }
    }

    /** The start-up failure for these differences. */
    public static String message(List<String> problems) {
        return TopicSettings.KEY_CREATE + "=never but " + problems.size() + " topic "
                + (problems.size() == 1 ? "problem" : "problems") + " found (create or fix them with "
                + "`tlswatch topics create`, docs/kafka.md):\n  - " + String.join("\n  - ", problems);
    }

    private Map<String, Map<String, String>> configs(Collection<String> names, long deadline)
            throws InterruptedException, TimeoutException {
        if (names.isEmpty()) {
            return Map.of();
        }
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw denied(e, "DESCRIBE_CONFIGS", names);
        }
        Map<String, Map<String, String>> byName = new HashMap<>();
        configs.forEach((resource, config) -> {
            Map<String, String> values = new HashMap<>();
            config.entries().forEach(entry -> {
                if (entry.value() != null) {
                    values.put(entry.name(), entry.value());
                }
            });
            byName.put(resource.name(), values);
        });
        return byName;
    }

    private RuntimeException denied(ExecutionException e, String operation, Collection<String> names) {
        return KafkaAccessDenied.of(e, operation, names, principal).<RuntimeException>map(d -> d)
                .orElseGet(() -> new IllegalStateException("checking topics failed: " + e.getCause().getMessage(),
                        e.getCause()));
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
