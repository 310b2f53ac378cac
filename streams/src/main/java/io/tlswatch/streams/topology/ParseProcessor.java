package io.tlswatch.streams.topology;

import io.tlswatch.contract.event.Event;
import io.tlswatch.streams.event.WindowTime;
import io.tlswatch.streams.metrics.StreamsMeters;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Reads an input record's bytes as its topic's event. The event goes on with its {@link WindowTime} (the event
 * time; a report's receipt time) as its record timestamp, so everything downstream runs on event time. Bytes that do not parse go on as poison, with
 * headers saying why and where from, to the dead-letter topic: one bad record never stops the job.
 */
public final class ParseProcessor<V extends Event> implements Processor<String, byte[], String, Parsed<V>> {

    private static final Logger log = LoggerFactory.getLogger(ParseProcessor.class);

    private final String input;
    private final Deserializer<V> deserializer;
    private final StreamsMeters meters;
    private ProcessorContext<String, Parsed<V>> context;

    public ParseProcessor(String input, Deserializer<V> deserializer, StreamsMeters meters) {
        this.input = input;
        this.deserializer = deserializer;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Parsed<V>> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(input);
        V value;
        try {
            value = deserializer.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            poison(record, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return;
        }
        if (value == null) {
            poison(record, "topic " + topic + ": record has no value (a tombstone on an event topic)");
            return;
        }
        context.forward(record.withValue(Parsed.ok(value)).withTimestamp(WindowTime.of(value).toEpochMilli()));
    }

    private void poison(Record<String, byte[]> record, String reason) {
        meters.deadLetter(input);
        RecordMetadata where = context.recordMetadata().orElse(null);
        log.warn("Dead-lettered a record from {} partition {} offset {}: {}", where == null ? input : where.topic(),
                where == null ? -1 : where.partition(), where == null ? -1 : where.offset(), reason);
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
        if (where != null) {
            headers.add(DeadLetterHeaders.TOPIC, where.topic().getBytes(StandardCharsets.UTF_8));
            headers.add(DeadLetterHeaders.PARTITION, bytes(where.partition()));
            headers.add(DeadLetterHeaders.OFFSET, bytes(where.offset()));
        }
        context.forward(new Record<>(record.key(), Parsed.<V>poison(record.value(), reason), record.timestamp(),
                headers));
    }

    private static byte[] bytes(long number) {
        return Long.toString(number).getBytes(StandardCharsets.UTF_8);
    }
}
