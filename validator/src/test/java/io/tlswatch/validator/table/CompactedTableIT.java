package io.tlswatch.validator.table;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.event.PolicyTerms;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(KafkaBrokerExtension.class)
class CompactedTableIT {

    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final Duration LIVE = Duration.ofSeconds(5);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static PolicyRecord policy(String id, int maxMachines) {
        return PolicyRecord.of(Instant.now(), "test@table-it", id, "policy " + id,
                new PolicyTerms(maxMachines, null, null, null, null, null, null, null, null), null, null);
    }

    private static RecordMetadata write(KafkaBroker broker, Topic<String, PolicyRecord> topic, String key,
                                        byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("table-it"),
                new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
        }
    }

    private static byte[] bytes(Topic<String, PolicyRecord> topic, PolicyRecord row) {
        return topic.valueSerde().serializer().serialize(topic.name(), row);
    }

    @Test
    void holdsTheLatestRowOfEveryKeyAndForgetsATombstonedOne(KafkaBroker broker) throws Exception {
        // given two policies, one changed and one deleted before the table starts
        Topic<String, PolicyRecord> topic = broker.createUnique(Topics.POLICIES);
        write(broker, topic, "a", bytes(topic, policy("a", 1)));
        write(broker, topic, "a", bytes(topic, policy("a", 2)));
        write(broker, topic, "b", bytes(topic, policy("b", 3)));
        write(broker, topic, "b", null);

        // when the table catches up
        try (CompactedTable<PolicyRecord> table = new CompactedTable<>(broker.settings(), topic, "policies", meters,
                TableListener.none())) {
            table.start();
            table.awaitCaughtUp(CATCH_UP);

            // then it holds the latest row of a and nothing of b
            assertThat(table.get("a")).hasValueSatisfying(p -> assertThat(p.terms().maxMachines()).isEqualTo(2));
            assertThat(table.get("b")).isEmpty();
            assertThat(table.values()).hasSize(1);
            assertThat(meters.get("tlswatch.table.ready").tag("table", "policies").gauge().value()).isEqualTo(1.0);
        }
    }

    @Test
    void awaitAppliedReturnsOnceTheWrittenRecordIsInTheTableAndTheListenerHeardOfIt(KafkaBroker broker)
            throws Exception {
        // given a caught-up table on an empty topic, with a listener
        Topic<String, PolicyRecord> topic = broker.createUnique(Topics.POLICIES);
        List<String> heard = new CopyOnWriteArrayList<>();
        try (CompactedTable<PolicyRecord> table = new CompactedTable<>(broker.settings(), topic, "policies", meters,
                (key, row, partition, offset) -> heard.add(key + "@" + partition + ":" + offset))) {
            table.start();
            table.awaitCaughtUp(CATCH_UP);

            // when a row is written and the writer waits for its own offset
            RecordMetadata written = write(broker, topic, "c", bytes(topic, policy("c", 4)));
            boolean applied = table.awaitApplied(written.partition(), written.offset(), LIVE);

            // then the row is there as soon as the wait returns, and the listener was told of it in order
            assertThat(applied).isTrue();
            assertThat(table.get("c")).isPresent();
            assertThat(heard).containsExactly("c@" + written.partition() + ":" + written.offset());
            assertThat(table.awaitApplied(written.partition(), written.offset() + 1, Duration.ofMillis(200)))
                    .as("an offset nobody wrote is never applied").isFalse();
        }
    }

    @Test
    void aRecordUnderAnotherKeyOrUnreadableIsSkippedAndCountedWhileLaterRowsArrive(KafkaBroker broker)
            throws Exception {
        // given a row under the wrong key and bytes that are not JSON, then a good row
        Topic<String, PolicyRecord> topic = broker.createUnique(Topics.POLICIES);
        write(broker, topic, "not-d", bytes(topic, policy("d", 1)));
        write(broker, topic, "e", "{not json".getBytes(StandardCharsets.UTF_8));
        write(broker, topic, "f", bytes(topic, policy("f", 1)));

        // when the table catches up
        try (CompactedTable<PolicyRecord> table = new CompactedTable<>(broker.settings(), topic, "policies", meters,
                TableListener.none())) {
            table.start();
            table.awaitCaughtUp(CATCH_UP);

            // then only the good row is in, and the two others are counted
            assertThat(table.values()).extracting(PolicyRecord::policyId).containsExactly("f");
            assertThat(meters.get("tlswatch.table.invalid").tag("table", "policies").counter().count())
                    .isEqualTo(2.0);
        }
    }

    @Test
    void aMissingTopicMakesTheWaitFailWithinItsBoundNamingTheTopic(KafkaBroker broker) throws Exception {
        Topic<String, PolicyRecord> missing = Topics.POLICIES.withName("tlswatch.no-such-table.v1");
        try (CompactedTable<PolicyRecord> table = new CompactedTable<>(broker.settings(), missing, "missing", meters,
                TableListener.none())) {
            table.start();

            assertThatThrownBy(() -> table.awaitCaughtUp(Duration.ofSeconds(3)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tlswatch.no-such-table.v1")
                    .hasMessageContaining("does not exist");
            assertThat(table.isCaughtUp()).isFalse();
        }
    }
}
