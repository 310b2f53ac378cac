package io.tlswatch.streams.topology;

import io.tlswatch.contract.event.Event;
import io.tlswatch.streams.event.WindowTime;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.names.Names;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Drops an event whose id was already seen within the dedup window, before or after it (producers retry, so the
 * same event can arrive twice). A redelivery has the same key as the original, so it reaches the same task and
 * store. Per event: one lookup of the id ({@code Names.DEDUP_IDS_STORE}) and, for an event kept, two writes (the
 * id, and its entry in the time index, {@link DedupIndex}).
 *
 * <p>An id is remembered for twice the window behind the task's stream time, as the window store this replaces
 * retained it: a redelivery up to a window late still finds it. The three inputs share the stores; one of their
 * dedup steps, the index keeper, rebuilds the index at start and forgets on a stream-time punctuation what is due.
 * Stream time rather than wall-clock time because what expires is defined in event time: a job catching up on a
 * backlog forgets at the pace of the events it reads, and a job reading nothing adds nothing to forget.
 */
public final class DedupProcessor<V extends Event> implements FixedKeyProcessor<String, V, V> {

    private static final Logger log = LoggerFactory.getLogger(DedupProcessor.class);

    private final long window;
    private final long retention;
    private final Duration sweepEvery;
    private final boolean keepsIndex;
    private final StreamsMeters meters;
    private FixedKeyProcessorContext<String, V> context;
    private KeyValueStore<String, Long> ids;
    private DedupIndex index;

    /**
     * @param sweepEvery how often, in stream time, the keeper forgets what is due (only the store's slack
     *                   depends on it, not what counts as a duplicate)
     * @param keepsIndex whether this is the one dedup step of the task that rebuilds and sweeps the index
     */
    public DedupProcessor(Duration window, Duration sweepEvery, boolean keepsIndex, StreamsMeters meters) {
        this.window = window.toMillis();
        this.retention = window.multipliedBy(2).toMillis();
        this.sweepEvery = sweepEvery;
        this.keepsIndex = keepsIndex;
        this.meters = meters;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.ids = context.getStateStore(Names.DEDUP_IDS_STORE);
        this.index = new DedupIndex(context.getStateStore(Names.DEDUP_DUE_STORE));
        if (keepsIndex) {
            long indexed = index.rebuild(ids);
            log.debug("Dedup index of task {} rebuilt: {} ids", context.taskId(), indexed);
            context.schedule(sweepEvery, PunctuationType.STREAM_TIME,
                    streamTime -> index.expire(streamTime - retention, ids));
        }
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        V event = record.value();
        long time = WindowTime.of(event).toEpochMilli();
        // Remembered at or before this: forgotten, whether or not the sweep has removed it yet.
        long forgotten = context.currentStreamTimeMs() - retention;
        Long seenAt = ids.get(event.id());
        boolean remembered = seenAt != null && seenAt > forgotten;
        if (remembered && Math.abs(seenAt - time) <= window) {
            meters.duplicate();
            return;
        }
        if (time > forgotten && (!remembered || time > seenAt)) {
            ids.put(event.id(), time);
            index.add(time, event.id());
        }
        context.forward(record);
    }
}
