package io.tlswatch.streams.fingerprint;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.streams.attribution.FingerprintSignal;
import io.tlswatch.streams.members.Members;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.names.Names;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs per JA4. Counts handshakes and distinct addresses and clients within the window, emits the row when
 * it changes, and raises or resolves the fingerprint alert as its client count crosses the threshold.
 */
public final class FingerprintProcessor implements Processor<String, FingerprintSignal, String, FingerprintOutput> {

    /** How the processor is set up. */
    public record Settings(Duration window, Duration evaluateEvery, Duration retention, Duration rowRefresh) {
    }

    private final FingerprintRules rules;
    private final Settings settings;
    private final StreamsMeters meters;
    private ProcessorContext<String, FingerprintOutput> context;
    private KeyValueStore<String, FingerprintState> states;
    private KeyValueStore<String, FingerprintPosture> postures;
    private Members members;
    /** Stream time of the last sweep of members; per task, so a restarted task sweeps at its first round. */
    private long lastSweep = Long.MIN_VALUE;

    public FingerprintProcessor(FingerprintRules rules, Settings settings, StreamsMeters meters) {
        this.rules = rules;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, FingerprintOutput> context) {
        this.context = context;
        this.states = context.getStateStore(Names.FINGERPRINT_STATE_STORE);
        this.postures = context.getStateStore(Names.FINGERPRINT_POSTURE_STORE);
        this.members = new Members(context.getStateStore(Names.FINGERPRINT_MEMBERS_STORE));
        context.schedule(settings.evaluateEvery(), PunctuationType.STREAM_TIME, this::reassessAll);
    }

    @Override
    public void process(Record<String, FingerprintSignal> record) {
        FingerprintSignal signal = record.value();
        FingerprintState state = states.get(signal.ja4());
        if (state == null) {
            state = FingerprintState.first(signal);
        }
        Instant now = Instant.ofEpochMilli(Math.max(context.currentStreamTimeMs(), signal.time().toEpochMilli()));
        boolean newAddress = signal.address() != null
                && members.seen(signal.ja4(), Members.ADDRESS, signal.address(), signal.time());
        boolean newClient = signal.clientId() != null
                && members.seen(signal.ja4(), Members.CLIENT, signal.clientId(), signal.time());
        update(state.add(signal, newAddress, newClient), now, false, true);
    }

    /** @param sweep whether to forget members older than the window (done on the punctuation, not per event) */
    private void update(FingerprintState state, Instant now, boolean sweep, boolean dirty) {
        Instant cutoff = now.minus(settings.window());
        java.util.Map<Character, Long> forgotten = sweep ? members.forgetBefore(state.ja4(), cutoff)
                : java.util.Map.of();
        FingerprintState next = state.prune(cutoff, forgotten.getOrDefault(Members.ADDRESS, 0L),
                forgotten.getOrDefault(Members.CLIENT, 0L));
        var alert = rules.alert(next, now);
        if (alert.isPresent()) {
            next = alert.get().state();
            AlertEvent event = alert.get().alert();
            meters.alert(event.status(), event.severity(), event.kind());
            context.forward(new Record<>(event.dedupKey(), new FingerprintOutput(null, event), now.toEpochMilli()));
        }
        FingerprintPosture previous = postures.get(next.ja4());
        FingerprintPosture row = rules.row(next, now);
        boolean changed = previous == null || previous.outdated() != row.outdated()
                || previous.distinctClients() != row.distinctClients()
                || previous.distinctAddresses() != row.distinctAddresses()
                || !previous.highestOfferedVersion().equals(row.highestOfferedVersion());
        boolean refresh = next.rowLastSeen() == null
                || !next.lastSeen().isBefore(next.rowLastSeen().plus(settings.rowRefresh()))
                && next.lastSeen().isAfter(next.rowLastSeen());
        if (changed || refresh || previous.failures() != row.failures() && settings.rowRefresh().isZero()) {
            next = next.withRowLastSeen(next.lastSeen());
            context.forward(new Record<>(next.ja4(), new FingerprintOutput(row, null), now.toEpochMilli()));
        }
        // The store always holds the freshest counts; the topic gets them at most every rowRefresh.
        if (changed || previous.failures() != row.failures() || previous.successes() != row.successes()
                || !previous.lastSeen().equals(row.lastSeen()) || !previous.firstSeen().equals(row.firstSeen())) {
            postures.put(next.ja4(), row);
        }
        if (dirty || !next.equals(state)) {
            states.put(next.ja4(), next);
        }
    }

    private void reassessAll(long streamTime) {
        Instant now = Instant.ofEpochMilli(streamTime);
        // Counting members out costs a scan of them all: done every 24th of the window (an hour by default),
        // while the hourly counts are pruned every round.
        boolean sweep = lastSweep == Long.MIN_VALUE
                || streamTime - lastSweep >= Math.max(settings.evaluateEvery().toMillis(), settings.window().toMillis() / 24);
        if (sweep) {
            lastSweep = streamTime;
        }
        List<FingerprintState> all = new ArrayList<>();
        try (KeyValueIterator<String, FingerprintState> it = states.all()) {
            while (it.hasNext()) {
                KeyValue<String, FingerprintState> entry = it.next();
                all.add(entry.value);
            }
        }
        for (FingerprintState state : all) {
            if (state.silentSince(now, settings.retention())) {
                states.delete(state.ja4());
                postures.delete(state.ja4());
                members.forgetAll(state.ja4());
                context.forward(new Record<>(state.ja4(), new FingerprintOutput(null, null), now.toEpochMilli()));
            } else {
                update(state, now, sweep, false);
            }
        }
    }
}
