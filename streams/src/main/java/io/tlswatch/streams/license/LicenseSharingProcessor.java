package io.tlswatch.streams.license;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.streams.attribution.LicenseSignal;
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
import java.util.Map;

/**
 * Runs per license. Counts the distinct addresses, clients and fingerprints it is used with within the
 * sharing window, and raises or resolves the sharing alert as they cross the thresholds.
 */
public final class LicenseSharingProcessor implements Processor<String, LicenseSignal, String, AlertEvent> {

    private static final int EVIDENCE_JA4S = 20;

    private final LicenseSharingRules rules;
    private final Duration window;
    private final Duration sweepEvery;
    private final StreamsMeters meters;
    private ProcessorContext<String, AlertEvent> context;
    private KeyValueStore<String, LicenseUsage> states;
    private Members members;

    public LicenseSharingProcessor(LicenseSharingRules rules, Duration window, Duration sweepEvery,
                                   StreamsMeters meters) {
        this.rules = rules;
        this.window = window;
        this.sweepEvery = sweepEvery;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, AlertEvent> context) {
        this.context = context;
        this.states = context.getStateStore(Names.LICENSE_STATE_STORE);
        this.members = new Members(context.getStateStore(Names.LICENSE_MEMBERS_STORE));
        context.schedule(sweepEvery, PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, LicenseSignal> record) {
        LicenseSignal s = record.value();
        LicenseUsage state = states.get(s.licenseId());
        if (state == null) {
            state = LicenseUsage.first(s.licenseId(), s.time());
        }
        boolean newAddress = s.address() != null && members.seen(s.licenseId(), Members.ADDRESS, s.address(), s.time());
        boolean newClient = s.clientId() != null && members.seen(s.licenseId(), Members.CLIENT, s.clientId(), s.time());
        boolean newJa4 = s.ja4() != null && members.seen(s.licenseId(), Members.FINGERPRINT, s.ja4(), s.time());
        Instant now = Instant.ofEpochMilli(Math.max(context.currentStreamTimeMs(), s.time().toEpochMilli()));
        states.put(s.licenseId(), judge(state.add(newAddress, newClient, newJa4, s.time()), now));
    }

    private LicenseUsage judge(LicenseUsage state, Instant now) {
        var alert = rules.alert(state, members.since(state.licenseId(), Members.FINGERPRINT, now.minus(window),
                EVIDENCE_JA4S), now);
        if (alert.isEmpty()) {
            return state;
        }
        AlertEvent event = alert.get().alert();
        meters.alert(event.status(), event.severity(), event.kind());
        context.forward(new Record<>(event.dedupKey(), event, now.toEpochMilli()));
        return alert.get().state();
    }

    /** Counts out what left the window; forgets licenses with nothing left in it. */
    private void sweep(long streamTime) {
        Instant now = Instant.ofEpochMilli(streamTime);
        List<LicenseUsage> all = new ArrayList<>();
        try (KeyValueIterator<String, LicenseUsage> it = states.all()) {
            while (it.hasNext()) {
                KeyValue<String, LicenseUsage> e = it.next();
                all.add(e.value);
            }
        }
        for (LicenseUsage state : all) {
            Map<Character, Long> old = members.forgetBefore(state.licenseId(), now.minus(window));
            if (old.isEmpty()) {
                continue;
            }
            LicenseUsage next = judge(state.forget(old.getOrDefault(Members.ADDRESS, 0L),
                    old.getOrDefault(Members.CLIENT, 0L), old.getOrDefault(Members.FINGERPRINT, 0L)), now);
            if (next.addresses() == 0 && next.clients() == 0 && next.fingerprints() == 0
                    && next.alertStartsAt() == null) {
                states.delete(state.licenseId());
            } else {
                states.put(state.licenseId(), next);
            }
        }
    }
}
