package io.tlswatch.contract.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclOperation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the service's principal may read and write its topics, asked of the broker at start (the operations it
 * authorizes per topic). Without this, a missing READ or WRITE ACL shows only once the first record is read or
 * written, as a client error deep in a running service rather than as a refusal to start that names the ACL.
 */
public final class TopicAccess {

    private final Admin admin;
    private final Duration timeout;
    private final String principal;

    public TopicAccess(Admin admin, Duration timeout, String principal) {
        this.admin = admin;
        this.timeout = timeout;
        this.principal = principal;
    }

    /**
     * @param reads  the topics (deployed names) the service consumes
     * @param writes the topics (deployed names) the service produces to
     * @throws KafkaAccessDenied naming every ACL missing
     */
    public void verify(Collection<String> reads, Collection<String> writes) {
        Map<String, Set<AclOperation>> needed = new TreeMap<>();
        reads.forEach(t -> needed.computeIfAbsent(t, k -> EnumSet.noneOf(AclOperation.class)).add(AclOperation.READ));
        writes.forEach(t -> needed.computeIfAbsent(t, k -> EnumSet.noneOf(AclOperation.class)).add(AclOperation.WRITE));
        if (needed.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> described = describe(needed.keySet());
        Map<String, List<AclOperation>> missing = new LinkedHashMap<>();
        needed.forEach((topic, operations) -> {
            Set<AclOperation> authorized = described.get(topic).authorizedOperations();
            // Null: the broker did not say (it answers this since Kafka 2.3), so there is nothing to check.
            if (authorized == null || authorized.contains(AclOperation.ALL)) {
                return;
            }
            List<AclOperation> lacking = operations.stream().filter(op -> !authorized.contains(op)).toList();
            if (!lacking.isEmpty()) {
                missing.put(topic, lacking);
            }
        });
        if (!missing.isEmpty()) {
            throw KafkaAccessDenied.missing(missing, principal);
        }
    }

    private Map<String, TopicDescription> describe(Collection<String> topics) {
        try {
            return admin.describeTopics(topics, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                    .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka for the topics' ACLs", e);
        } catch (ExecutionException e) {
            throw KafkaAccessDenied.of(e, "DESCRIBE", new ArrayList<>(topics), principal)
                    .<RuntimeException>map(d -> d)
                    .orElseGet(() -> new IllegalStateException("asking Kafka for the topics' ACLs failed: "
                            + e.getCause().getMessage(), e.getCause()));
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not describe the topics within " + timeout, e);
        }
    }
}
