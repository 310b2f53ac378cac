package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.attribution.ClientSignal;
import io.tlswatch.streams.attribution.Vouch;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.names.Names;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs per client. Folds each event into the client's state, re-assesses its posture, and emits the alerts
 * a committed change causes and the posture row when it changed. A stream-time punctuation re-assesses
 * every client, so evidence ageing out of the window, an entitlement nearing its end and a held change
 * coming due all take effect without a new event from that client. A report that names the client but is not
 * signed by the client's pinned key ({@link ReportBinding}) changes nothing and is only counted.
 */
public final class PostureProcessor implements Processor<String, ClientSignal, String, PostureOutput> {

    private static final Logger log = LoggerFactory.getLogger(PostureProcessor.class);

    /** How the processor is set up. */
    public record Settings(int maxObservations, Duration evaluateEvery, Duration clientRetention,
                           Duration rowRefresh) {
    }

    private final PostureTracker tracker;
    private final ClientPostureRows rows;
    private final Settings settings;
    private final StreamsMeters meters;
    private final Clock clock;
    private ProcessorContext<String, PostureOutput> context;
    private KeyValueStore<String, ClientState> states;
    private KeyValueStore<String, ClientPosture> postures;
    private KeyValueStore<String, String> dueIndex;

    public PostureProcessor(PostureTracker tracker, ClientPostureRows rows, Settings settings, StreamsMeters meters,
                            Clock clock) {
        this.tracker = tracker;
        this.rows = rows;
        this.settings = settings;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, PostureOutput> context) {
        this.context = context;
        this.states = context.getStateStore(Names.CLIENT_STATE_STORE);
        this.postures = context.getStateStore(Names.CLIENT_POSTURE_STORE);
        this.dueIndex = context.getStateStore(Names.CLIENT_DUE_STORE);
        context.schedule(settings.evaluateEvery(), PunctuationType.STREAM_TIME, this::reassessAll);
    }

    @Override
    public void process(Record<String, ClientSignal> record) {
        ClientSignal signal = record.value();
        Instant time = signal.time();
        ClientState stored = states.get(signal.clientId());
        KeyPin pin = stored == null ? null : stored.keyPin();
        if (signal.via() != null) {
            if (!Vouch.binds(signal.via(), pin == null ? null : pin.jkt())) {
                // Attributed through an address only unbound events (someone else's word) tied to the client.
                meters.unboundAttribution();
                log.debug("Event {} from an address unbound to client {} ignored", eventId(signal),
                        signal.clientId());
                return;
            }
        } else if (signal.report() != null) {
            ReportBinding.Decision binding = ReportBinding.report(pin, signal.report());
            if (!binding.counts()) {
                // Someone else's word about this client: it changes nothing of the client's, not even lastSeen.
                meters.unboundReport(binding.unbound().tag());
                log.debug("Report {} naming client {} ignored: {}", signal.report().id(), signal.clientId(),
                        binding.unbound().tag());
                return;
            }
            pin = binding.pin();
        } else if (signal.check() != null) {
            pin = ReportBinding.check(pin, signal.check());
        }
        ClientState state = (stored != null ? stored : ClientState.first(signal.clientId(), time)).withKeyPin(pin);
        state = fold(state, signal);
        Instant now = Instant.ofEpochMilli(Math.max(context.currentStreamTimeMs(), time.toEpochMilli()));
        update(state, now, true);
        meters.processingLag(Duration.between(time, clock.instant()));
    }

    private static String eventId(ClientSignal signal) {
        return signal.handshake() != null ? signal.handshake().id()
                : signal.report() != null ? signal.report().id() : signal.check().id();
    }

    private ClientState fold(ClientState state, ClientSignal signal) {
        int max = settings.maxObservations();
        if (signal.check() != null) {
            LicenseCheckEvent c = signal.check();
            ClientState next = state.observe(Observation.of(c), max)
                    .describe(c.licenseId(), c.sdk() == null ? null : c.sdk().runtime(), null);
            return c.valid() ? next.validCheck(c.time(), c.tokenExpiresAt(), c.graceUntil()) : next;
        }
        if (signal.report() != null) {
            ClientReportEvent r = signal.report();
            // A NEL report attributed by address says nothing about the client's own license or runtime.
            return r.clientId() == null ? state.observe(Observation.of(r), max)
                    : state.observe(Observation.of(r), max).describe(r.licenseId(), r.runtime(), r.tls());
        }
        return state.observe(Observation.of(signal.handshake()), max);
    }

    /** @param dirty whether {@code state} differs from what the store holds (it must be written in any case) */
    private void update(ClientState state, Instant now, boolean dirty) {
        ClientState pruned = state.prune(now.minus(tracker.rules().config().window()));
        Transition transition = tracker.evaluate(pruned, now);
        for (AlertEvent alert : transition.alerts()) {
            meters.alert(alert.status(), alert.severity(), alert.kind());
            context.forward(new Record<>(alert.dedupKey(), PostureOutput.alert(alert), now.toEpochMilli()));
        }
        ClientState next = transition.state();
        ClientPosture previous = postures.get(next.clientId());
        ClientPosture row = rows.row(next, transition.evidence(), now);
        boolean changed = !ClientPostureRows.sameContent(previous, row);
        boolean refresh = next.rowLastSeen() == null
                || !next.lastSeen().isBefore(next.rowLastSeen().plus(settings.rowRefresh()))
                && next.lastSeen().isAfter(next.rowLastSeen());
        if (changed || refresh) {
            next = next.withRowLastSeen(next.lastSeen());
            postures.put(next.clientId(), row);
            context.forward(new Record<>(next.clientId(), PostureOutput.row(row), now.toEpochMilli()));
        }
        Instant due = DueTime.next(next, transition.evidence(), tracker.rules().config(),
                settings.clientRetention(), now);
        if (!due.equals(state.due())) {
            if (state.due() != null) {
                dueIndex.delete(dueKey(state.due(), state.clientId()));
            }
            dueIndex.put(dueKey(due, next.clientId()), next.clientId());
            next = next.withDue(due);
        }
        if (dirty || !next.equals(state)) {
            states.put(next.clientId(), next);
        }
    }

    /** Sorts by due time as strings: epoch millis, zero-padded to a fixed width. */
    static String dueKey(Instant due, String clientId) {
        return String.format("%019d|%s", due.toEpochMilli(), clientId);
    }

    /** Re-judges the clients whose due time has come (a range of the due index), and forgets the silent ones. */
    private void reassessAll(long streamTime) {
        Instant now = Instant.ofEpochMilli(streamTime);
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = dueIndex.range(dueKey(Instant.EPOCH, ""),
                String.format("%019d", streamTime + 1))) {
            while (it.hasNext()) {
                due.add(it.next().value);
            }
        }
        for (String clientId : due) {
            ClientState state = states.get(clientId);
            if (state == null) {
                continue;
            }
            if (!state.lastSeen().plus(settings.clientRetention()).isAfter(now)) {
                forget(state, now);
            } else {
                update(state, now, false);
            }
        }
    }

    /** A client silent for the retention: its alert (if any) resolves, its row is deleted. */
    private void forget(ClientState state, Instant now) {
        if (state.alertKey() != null) {
            for (AlertEvent alert : tracker.alerts().onChange(state, Posture.UNKNOWN, tracker.assess(state, now), now, now)
                    .alerts()) {
                meters.alert(alert.status(), alert.severity(), alert.kind());
                context.forward(new Record<>(alert.dedupKey(), PostureOutput.alert(alert), now.toEpochMilli()));
            }
        }
        states.delete(state.clientId());
        postures.delete(state.clientId());
        if (state.due() != null) {
            dueIndex.delete(dueKey(state.due(), state.clientId()));
        }
        context.forward(new Record<>(state.clientId(), PostureOutput.row(null), now.toEpochMilli()));
    }
}
