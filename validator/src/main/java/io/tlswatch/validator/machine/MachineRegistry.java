package io.tlswatch.validator.machine;

import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.LicensePartition;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.validator.table.CompactedTable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

/**
 * This replica's view of {@code tlswatch.machines.v1}: a {@link CompactedTable} folding every row into a
 * {@link MachineLedger}, and the producer this replica writes its rows with (acknowledged by every in-sync replica,
 * idempotent), each to the partition of its license ({@link LicensePartition}) so that a license's rows keep one
 * order for every reader.
 */
public final class MachineRegistry implements MachineLog, AutoCloseable {

    private final MachineLedger ledger;
    private final CompactedTable<MachineRecord> table;
    private final KafkaProducer<String, MachineRecord> producer;
    private final Topic<String, MachineRecord> topic;
    private final MachineMetrics metrics;
    private volatile int partitions;

    /**
     * @param maxMachines  a license's {@code maxMachines} by license id, as its terms say now
     * @param writeTimeout how long a write may block for metadata ({@code max.block.ms} unless set under
     *                     {@code kafka.})
     */
    public MachineRegistry(KafkaSettings settings, Topic<String, MachineRecord> topic, MeterRegistry meters,
                           ToIntFunction<String> maxMachines, Duration writeTimeout, String clientId) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.ledger = new MachineLedger(maxMachines);
        this.metrics = new MachineMetrics(meters, ledger);
        this.table = new CompactedTable<>(settings, topic, "machines", meters,
                (key, row, partition, offset) -> metrics.row(ledger.apply(key, row)));
        Map<String, Object> props = settings.producer(clientId);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) writeTimeout.toMillis());
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    public void start() {
        table.start();
    }

    public void awaitCaughtUp(Duration timeout) throws InterruptedException {
        table.awaitCaughtUp(timeout);
    }

    public boolean isCaughtUp() {
        return table.isCaughtUp();
    }

    public MachineLedger ledger() {
        return ledger;
    }

    public MachineMetrics metrics() {
        return metrics;
    }

    @Override
    public CompletableFuture<Position> write(MachineRecord row) {
        CompletableFuture<Position> written = new CompletableFuture<>();
        try {
            int partition = LicensePartition.of(row.licenseId(), partitions());
            producer.send(new ProducerRecord<>(topic.name(), partition, row.key(), row), (metadata, failure) -> {
                if (failure != null) {
                    written.completeExceptionally(failure);
                } else {
                    written.complete(new Position(metadata.partition(), metadata.offset()));
                }
            });
        } catch (RuntimeException e) {
            written.completeExceptionally(e);
        }
        return written;
    }

    private int partitions() {
        int known = partitions;
        if (known == 0) {
            // The topic's partition count never changes under a running validator: adding partitions would move
            // licenses to other partitions and break the one order of their rows (docs/events.md).
            known = producer.partitionsFor(topic.name()).size();
            partitions = known;
        }
        return known;
    }

    @Override
    public boolean awaitApplied(Position position, Duration timeout) throws InterruptedException {
        return table.awaitApplied(position.partition(), position.offset(), timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    public boolean close(Duration timeout) {
        producer.close(timeout);
        return table.close(timeout);
    }
}
