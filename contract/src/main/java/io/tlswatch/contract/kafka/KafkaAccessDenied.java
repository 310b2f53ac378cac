package io.tlswatch.contract.kafka;

import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.TreeSet;

/**
 * Kafka refused an operation for want of an ACL: the message names the ACL to grant (operation, resource type,
 * name, principal), as an operator acts on it; the broker's exception stays the cause for the debug log.
 */
public final class KafkaAccessDenied extends IllegalStateException {

    private KafkaAccessDenied(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The access error {@code failure} stands for, or empty when it is not one.
     *
     * @param operation the ACL operation the request needed on a topic (CREATE, DESCRIBE, DESCRIBE_CONFIGS)
     * @param topics    the topics asked about, named when the broker does not say which it refused
     */
    public static Optional<KafkaAccessDenied> of(Throwable failure, String operation, Collection<String> topics,
                                                 String principal) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof TopicAuthorizationException)
                && !(cause instanceof ClusterAuthorizationException)) {
            cause = cause.getCause();
        }
        if (cause instanceof ClusterAuthorizationException) {
            return Optional.of(new KafkaAccessDenied("Kafka denied " + operation + " on the cluster: grant ALLOW "
                    + operation + " on CLUSTER kafka-cluster to " + principal + " (or " + operation + " on each TOPIC),"
                    + " or create the topics beforehand with `tlswatch topics create` and set kafka.topics.create=never"
                    + " (docs/kafka.md)", cause));
        }
        if (cause instanceof TopicAuthorizationException denied) {
            TreeSet<String> names = new TreeSet<>(denied.unauthorizedTopics());
            if (names.isEmpty()) {
                names.addAll(topics);
            }
            String hint = "CREATE".equals(operation)
                    ? ", or create the topics beforehand with `tlswatch topics create` and set kafka.topics.create=never"
                    : "";
            return Optional.of(new KafkaAccessDenied("Kafka denied " + operation + " on topics " + names
                    + ": grant ALLOW " + operation + " on TOPIC " + String.join(", TOPIC ", names) + " to " + principal
                    + hint + " (docs/kafka.md)", cause));
        }
        return Optional.empty();
    }

    /**
     * The group access error {@code failure} stands for (a consumer that may not use its group), or empty when it is
     * not one.
     */
    public static Optional<KafkaAccessDenied> ofGroup(Throwable failure, String principal) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof GroupAuthorizationException)) {
            cause = cause.getCause();
        }
        if (cause instanceof GroupAuthorizationException denied) {
            String group = denied.groupId() == null ? "(the consumer group)" : denied.groupId();
            return Optional.of(new KafkaAccessDenied("Kafka denied " + principal + " the consumer group " + group
                    + ": grant ALLOW READ on GROUP " + group + " to " + principal + " (docs/kafka.md)", cause));
        }
        return Optional.empty();
    }

    /**
     * The access error that stopped a Kafka Streams application, or empty when it is not one. Kafka Streams uses
     * its application id as the consumer group, as the prefix of its transactional ids (exactly-once) and of its
     * internal topics, so each grant is named on that id (docs/kafka.md's streams table).
     */
    public static Optional<KafkaAccessDenied> ofStreams(Throwable failure, String applicationId, String principal) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof GroupAuthorizationException) {
                return Optional.of(new KafkaAccessDenied("Kafka denied " + principal + " the consumer group "
                        + applicationId + ": grant ALLOW READ, DESCRIBE on GROUP " + applicationId + " to " + principal
                        + " (docs/kafka.md)", cause));
            }
            if (cause instanceof TransactionalIdAuthorizationException) {
                return Optional.of(new KafkaAccessDenied("Kafka denied " + principal + " its transactional ids: grant "
                        + "ALLOW WRITE, DESCRIBE on TRANSACTIONAL_ID prefixed " + applicationId + " to " + principal
                        + " (exactly-once; docs/kafka.md)", cause));
            }
            if (cause instanceof TopicAuthorizationException denied) {
                TreeSet<String> names = new TreeSet<>(denied.unauthorizedTopics());
                boolean internal = !names.isEmpty() && names.stream().allMatch(n -> n.startsWith(applicationId + "-"));
                String grant = internal || names.isEmpty()
                        ? "ALLOW CREATE, READ, WRITE, DESCRIBE, DESCRIBE_CONFIGS, DELETE on TOPIC prefixed "
                        + applicationId + "- (its internal topics)"
                        : "the streams job's ACLs on TOPIC " + String.join(", TOPIC ", names);
                return Optional.of(new KafkaAccessDenied("Kafka denied " + principal + " topics "
                        + (names.isEmpty() ? "(not named by the broker)" : names) + ": grant " + grant + " to "
                        + principal + " (docs/kafka.md)", cause));
            }
        }
        return Optional.empty();
    }

    /**
     * The broker would refuse these operations on these topics ({@link TopicAccess}): one ACL to grant per line.
     */
    public static KafkaAccessDenied missing(Map<String, ? extends Collection<?>> operationsByTopic, String principal) {
        List<String> grants = operationsByTopic.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(op -> "ALLOW " + op + " on TOPIC " + e.getKey()))
                .toList();
        return new KafkaAccessDenied("Kafka denies " + principal + " " + grants.size()
                + (grants.size() == 1 ? " operation" : " operations") + " the service needs: grant "
                + grants.stream().collect(Collectors.joining(", ")) + " to " + principal + " (docs/kafka.md)", null);
    }
}
