package io.tlswatch.contract.kafka;

import io.tlswatch.contract.topic.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates topics idempotently and returns only when every partition of every topic has a leader that serves it.
 *
 * <p>Waiting matters: an idempotent producer whose first write to a partition is answered
 * NOT_LEADER_OR_FOLLOWER can be stuck on OUT_OF_ORDER_SEQUENCE_NUMBER until its delivery timeout on this Kafka
 * version (seen in LicenseRegistryIT, reproduced by TopicBootstrapIT), and the metadata names a partition's leader
 * a moment before that leader has opened the partition's log. So {@link #ensure} waits for leaders, then asks
 * every leader for its partitions' end offsets, which it answers only once the log is open; nothing may use a
 * topic before {@link #ensure} has returned.
 */
public final class TopicBootstrap {

    private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);
    private static final long POLL_MILLIS = 50;

    private final Admin admin;
    private final Duration timeout;
    private final int partitionsOverride;
    private final TopicSettings settings;
    private final String principal;

    /**
     * @param partitionsOverride 0 creates each topic with its catalogue partition count; a positive number
     *                           uses that count for every topic (small test or demo brokers)
     * @param settings           the replication factor and {@code min.insync.replicas} of topics created
     * @param principal          who the client authenticates as, named in the ACL an access error asks for
     */
    public TopicBootstrap(Admin admin, Duration timeout, int partitionsOverride, TopicSettings settings,
                          String principal) {
        this.admin = admin;
        this.timeout = timeout;
        this.partitionsOverride = partitionsOverride;
        this.settings = settings;
        this.principal = principal;
        if (partitionsOverride < 0) {
            throw new IllegalArgumentException("partitionsOverride must be >= 0, was " + partitionsOverride);
        }
    }

    public TopicBootstrap(Admin admin, Duration timeout, int partitionsOverride) {
        this(admin, timeout, partitionsOverride, TopicSettings.DEFAULTS, "the client's principal");
    }

    public TopicBootstrap(Admin admin, Duration timeout) {
        this(admin, timeout, 0);
    }

    /** What {@link #ensure} did: which topics it created and which already existed. */
    public record Result(List<String> created, List<String> existing, Duration took) {
        public Result {
            created = List.copyOf(created);
            existing = List.copyOf(existing);
        }
    }

    /** Creates the missing topics and waits until all their partitions have leaders. */
    public Result ensure(Collection<? extends Topic<?, ?>> topics) {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        try {
            short replication = settings.replicationFactor() > 0 ? (short) settings.replicationFactor()
                    : (short) Math.min(3, admin.describeCluster().nodes()
                    .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).size());
            List<NewTopic> requests = topics.stream().map(t -> withMinInsync(t.newTopic(partitionsOverride, replication)))
                    .toList();
            List<String> created = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> entry
                    : admin.createTopics(requests).values().entrySet()) {
                try {
                    entry.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        KafkaAccessDenied.of(e, "CREATE", List.of(entry.getKey()), principal).ifPresent(denied -> {
                            throw denied;
                        });
                        throw new IllegalStateException("creating topic " + entry.getKey() + " failed: "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    existing.add(entry.getKey());
                }
            }
            List<String> names = topics.stream().map(Topic::name).toList();
            awaitLeaders(names, deadline);
            awaitServing(names, deadline);
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            log.info("Topics ready in {} ms: {} created, {} already there", took.toMillis(), created.size(),
                    existing.size());
            return new Result(created, existing, took);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            KafkaAccessDenied.of(e, "DESCRIBE", topics.stream().map(Topic::name).toList(), principal)
                    .ifPresent(denied -> {
                        throw denied;
                    });
            throw new IllegalStateException("topic bootstrap failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not ready within " + timeout, e);
        }
    }

    private NewTopic withMinInsync(NewTopic request) {
        if (settings.minInsyncReplicas() == 0) {
            return request;
        }
        Map<String, String> configs = new HashMap<>(request.configs());
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(settings.minInsyncReplicas()));
        return request.configs(configs);
    }

    /**
     * Waits until every partition of topics that already exist has a leader that serves it, creating nothing:
     * the start of a service whose topics an operator created ({@code kafka.topics.create=never}).
     */
    public void awaitReady(Collection<? extends Topic<?, ?>> topics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> names = topics.stream().map(Topic::name).toList();
        try {
            awaitLeaders(names, deadline);
            awaitServing(names, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics", e);
        } catch (ExecutionException e) {
            KafkaAccessDenied.of(e, "DESCRIBE", names, principal).ifPresent(denied -> {
                throw denied;
            });
            throw new IllegalStateException("topics not ready: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("topics not ready within " + timeout, e);
        }
    }

    private void awaitLeaders(List<String> names, long deadline)
            throws InterruptedException, TimeoutException, ExecutionException {
        String waitingFor = "";
        while (true) {
            waitingFor = partitionsWithoutLeader(names, deadline);
            if (waitingFor.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("partitions without a leader after " + timeout + ": " + waitingFor);
            }
            // Leader election after creation takes milliseconds; polling is the Admin API's only way to see it.
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Waits until every partition's leader answers for it (a ListOffsets request, which only the leader serves).
     * The Admin client itself retries the retriable answers (not the leader, unknown partition) until its timeout,
     * so one request bounded by the deadline does it.
     */
    private void awaitServing(List<String> names, long deadline)
            throws InterruptedException, TimeoutException, ExecutionException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        admin.describeTopics(names).allTopicNames().get(remainingMillis(deadline), TimeUnit.MILLISECONDS)
                .values().forEach(d -> d.partitions().forEach(
                        p -> partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        int remaining = (int) Math.min(Integer.MAX_VALUE, remainingMillis(deadline));
        admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(remaining)).all()
                .get(remaining, TimeUnit.MILLISECONDS);
    }

    /** The first partition without a leader, or "" when every partition has one. */
    private String partitionsWithoutLeader(List<String> names, long deadline)
            throws InterruptedException, TimeoutException, ExecutionException {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(names).allTopicNames()
                    .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return "metadata not yet propagated";
            }
            throw e;
        }
        for (TopicDescription description : descriptions.values()) {
            for (TopicPartitionInfo partition : description.partitions()) {
                if (partition.leader() == null || partition.leader().isEmpty()) {
                    return description.name() + "-" + partition.partition();
                }
            }
        }
        return "";
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
