package io.tlswatch.streams;

import io.tlswatch.devkafka.EmbeddedKafkaCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The smallest job shaped like the posture job (exactly-once v2, a commit every 100 ms, one repartition step into
 * a store) on three brokers running transactions v2, while the brokers leading its repartition partitions and its
 * transaction coordinator stop and start again in turn. The posture job stalled on transactions v2 after broker
 * restarts in early FailoverIT trials, with its repartition topics answering OUT_OF_ORDER_SEQUENCE_NUMBER; purging
 * those topics (DeleteRecords every {@code repartition.purge.interval.ms}) was suspected of dropping the producer's
 * state on the brokers. This job purges every second and counts every record exactly once all the same
 * (docs/reliability.md, "Not yet tested").
 */
class RepartitionLeaderRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(RepartitionLeaderRestartIT.class);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Duration COUNTED = Duration.ofSeconds(90);
    private static final String INPUT = "restart-in";
    private static final String OUTPUT = "restart-out";
    private static final String APP = "restart-it";
    private static final String REPARTITION = APP + "-rekey-repartition";
    private static final int PARTITIONS = 3;
    private static final int KEYS = 30;
    /** Records acknowledged between two restarts: several seconds, so several purges, on a loaded machine. */
    private static final int BETWEEN_RESTARTS = 3_000;
    /** Records acknowledged while a broker is down. */
    private static final int WHILE_DOWN = 1_500;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void onTransactionsV2WithItsRepartitionTopicPurgedEverySecondTheJobCountsEveryRecordOnceAcrossBrokerRestarts(
            @TempDir Path dir) throws Exception {
        // given a cluster on Kafka 4.4's default transactions v2, and the job purging its repartition topic every
        // second, so that the log start offset of each repartition partition keeps moving up behind it
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(EmbeddedKafkaCluster.Options.defaults()
                .withDataDir(dir.resolve("kafka")).withStartupTimeout(WAIT));
             Admin admin = admin(cluster)) {
            assertThat(finalizedLevel(admin, "transaction.version")).isEqualTo((short) 2);
            admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short) 3),
                    new NewTopic(OUTPUT, PARTITIONS, (short) 3))).all().get(60, TimeUnit.SECONDS);
            AtomicLong sent = new AtomicLong();
            AtomicBoolean producing = new AtomicBoolean(true);
            try (KafkaStreams streams = new KafkaStreams(topology(), streamsProperties(cluster, dir,
                    Duration.ofSeconds(1)))) {
                streams.start();
                await().atMost(WAIT).until(() -> streams.state() == KafkaStreams.State.RUNNING);
                CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> produce(cluster, sent, producing),
                        task -> new Thread(task, "restart-it-producer").start());

                // when, under steady input, the leader of a repartition partition, then the job's transaction
                // coordinator, then the leader of another repartition partition stop and start again
                restartUnderLoad(cluster, sent, "leader of " + REPARTITION + "-0",
                        () -> cluster.leaderOf(new TopicPartition(REPARTITION, 0)).orElseThrow());
                restartUnderLoad(cluster, sent, "transaction coordinator of the job",
                        () -> transactionCoordinator(cluster));
                restartUnderLoad(cluster, sent, "leader of " + REPARTITION + "-2",
                        () -> cluster.leaderOf(new TopicPartition(REPARTITION, 2)).orElseThrow());
                long after = sent.get();
                await().atMost(WAIT).until(() -> sent.get() >= after + WHILE_DOWN);
                producing.set(false);
                producer.get(60, TimeUnit.SECONDS);
                long total = sent.get();
                long stopped = System.nanoTime();

                // then every record acknowledged is counted exactly once, and the job runs on
                Map<String, Long> counts = new HashMap<>();
                try (KafkaConsumer<String, Long> consumer = outputConsumer(cluster)) {
                    await().atMost(COUNTED).untilAsserted(() -> {
                        for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(500))) {
                            counts.put(r.key(), r.value());
                        }
                        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
                    });
                }
                LOG.info("Every one of {} records counted {} ms after the input stopped", total,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped));
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    private static void restartUnderLoad(EmbeddedKafkaCluster cluster, AtomicLong sent, String role,
                                         IntSupplier node) {
        long before = sent.get();
        await().atMost(WAIT).until(() -> sent.get() >= before + BETWEEN_RESTARTS);
        int id = node.getAsInt();
        LOG.info("Stopping node {}, the {}, after {} records", id, role, sent.get());
        cluster.stop(id);
        long down = sent.get();
        await().atMost(WAIT).until(() -> sent.get() >= down + WHILE_DOWN);
        cluster.restart(id);
    }

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((key, value) -> value, Grouped.with("rekey", Serdes.String(), Serdes.String()))
                .count(Materialized.as("counts"))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    /** The posture job's guarantees and commit interval (PostureJobIT, FailoverIT), on a topology of its own. */
    private static Properties streamsProperties(EmbeddedKafkaCluster cluster, Path dir, Duration purgeInterval) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, purgeInterval.toMillis());
        return props;
    }

    /** Produces until told to stop, counting a record in {@code sent} once the brokers acknowledged it. */
    private static void produce(EmbeddedKafkaCluster cluster, AtomicLong sent, AtomicBoolean producing) {
        Map<String, Object> settings = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings, new StringSerializer(),
                new StringSerializer())) {
            long i = 0;
            while (producing.get()) {
                for (int n = 0; n < 20; n++, i++) {
                    producer.send(new ProducerRecord<>(INPUT, "in-" + i, "key-" + (i % KEYS)));
                }
                // flush returns once every record sent is acknowledged (or throws): only then are they counted
                producer.flush();
                sent.set(i);
            }
        }
    }

    private static KafkaConsumer<String, Long> outputConsumer(EmbeddedKafkaCluster cluster) {
        Map<String, Object> settings = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-it-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new LongDeserializer());
        consumer.subscribe(List.of(OUTPUT));
        return consumer;
    }

    private static short finalizedLevel(Admin admin, String feature) throws Exception {
        FinalizedVersionRange range = admin.describeFeatures().featureMetadata().get(60, TimeUnit.SECONDS)
                .finalizedFeatures().get(feature);
        return range == null ? 0 : range.maxVersionLevel();
    }

    /** The broker coordinating the job's (one stream thread's) transactions. */
    private static int transactionCoordinator(EmbeddedKafkaCluster cluster) {
        AtomicInteger coordinator = new AtomicInteger(-1);
        // Listing transactions asks every broker; just after one came back the Admin can fail that ("Unexpected key
        // set"), so each attempt gets an Admin of its own.
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            try (Admin admin = admin(cluster)) {
                String transactionalId = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                        .map(TransactionListing::transactionalId).filter(id -> id.startsWith(APP)).findFirst()
                        .orElseThrow();
                coordinator.set(admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                        .get(30, TimeUnit.SECONDS).coordinatorId());
                return true;
            }
        });
        return coordinator.get();
    }

    private static Admin admin(EmbeddedKafkaCluster cluster) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return Admin.create(props);
    }
}
