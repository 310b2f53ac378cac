package io.tlswatch.streams.topology;

import io.tlswatch.contract.event.Event;
import io.tlswatch.streams.event.WindowTime;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.names.Names;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;

/**
 * Drops an event whose id was already seen within the dedup window (producers retry, so the same event can
 * arrive twice). A redelivery has the same key as the original, so it reaches the same task and store.
 */
public final class DedupProcessor<V extends Event> implements FixedKeyProcessor<String, V, V> {

    private final Duration window;
    private final StreamsMeters meters;
    private FixedKeyProcessorContext<String, V> context;
    private WindowStore<String, Long> seen;

    public DedupProcessor(Duration window, StreamsMeters meters) {
        this.window = window;
        this.meters = meters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.seen = context.getStateStore(Names.DEDUP_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        V event = record.value();
        long time = WindowTime.of(event).toEpochMilli();
        try (WindowStoreIterator<Long> earlier = seen.fetch(event.id(), time - window.toMillis(),
                time + window.toMillis())) {
            if (earlier.hasNext()) {
                meters.duplicate();
                return;
            }
        }
        seen.put(event.id(), time, time);
        context.forward(record);
    }
}
