package io.tlswatch.streams.attribution;

import io.tlswatch.common.event.ClientReportEvent;
import io.tlswatch.common.event.HandshakeEvent;
import io.tlswatch.common.event.LicenseCheckEvent;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.posture.TlsVersions;
import io.tlswatch.streams.topology.Names;
import io.tlswatch.streams.topology.WindowTime;
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
 * Runs per remote address. Learns from license checks and reports which clients (and fingerprints) are seen
 * at the address, and attributes what names no client (failed or successful handshakes, NEL reports) to the
 * one client seen there within the window: none when it is several (ambiguous) or none (unknown). Sends
 * every client's events on by client id, and every fingerprint seen on by JA4.
 */
public final class AttributionProcessor implements Processor<String, AddressSignal, String, Routed> {

    private final Duration window;
    private final Duration grace;
    private final int maxClientsPerAddress;
    private final Duration sweepEvery;
    private final StreamsMeters meters;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, AddressBook> books;

    public AttributionProcessor(Duration window, Duration grace, int maxClientsPerAddress, Duration sweepEvery,
                                StreamsMeters meters) {
        this.window = window;
        this.grace = grace;
        this.maxClientsPerAddress = maxClientsPerAddress;
        this.sweepEvery = sweepEvery;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.books = context.getStateStore(Names.ADDRESS_BOOK_STORE);
        context.schedule(sweepEvery, PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, AddressSignal> record) {
        AddressSignal signal = record.value();
        Instant time = WindowTime.of(signal.event());
        if (time.toEpochMilli() < context.currentStreamTimeMs() - grace.toMillis()) {
            meters.late();
            return;
        }
        String address = signal.address();
        if (signal.check() != null) {
            LicenseCheckEvent check = signal.check();
            learn(address, check.clientId(), check.ja4(), Vouch.of(check), time);
            forwardClient(ClientSignal.own(check.clientId(), check), record);
            if (check.licenseId() != null) {
                context.forward(new Record<>(check.licenseId(), Routed.license(new LicenseSignal(check.licenseId(),
                        check.clientId(), address, check.ja4(), time)), record.timestamp()));
            }
            if (check.ja4() != null) {
                forwardFingerprint(new FingerprintSignal(check.ja4(), time, TlsVersions.fromJa4(check.ja4()),
                        check.clientId(), address, null), record);
            }
        } else if (signal.report() != null) {
            report(signal.report(), address, time, record);
        } else {
            handshake(signal.handshake(), address, time, record);
        }
    }

    private void report(ClientReportEvent report, String address, Instant time, Record<String, AddressSignal> record) {
        String ja4 = report.arrival().ja4();
        String clientId = report.clientId();
        if (clientId != null) {
            learn(address, clientId, ja4, Vouch.of(report), time);
            forwardClient(ClientSignal.own(clientId, report), record);
        } else {
            AddressBook.Attribution attribution = book(address).attribute(ja4, time, window);
            meters.attribution(attribution.outcome());
            clientId = attribution.clientId();
            if (clientId != null) {
                forwardClient(ClientSignal.attributed(clientId, report, attribution.vouches()), record);
            }
        }
        if (ja4 != null) {
            forwardFingerprint(new FingerprintSignal(ja4, time, TlsVersions.fromJa4(ja4), clientId, address, null),
                    record);
        }
    }

    private void handshake(HandshakeEvent handshake, String address, Instant time,
                           Record<String, AddressSignal> record) {
        String ja4 = handshake.clientHello() == null ? null : handshake.clientHello().ja4();
        AddressBook.Attribution attribution = book(address).attribute(ja4, time, window);
        if (!handshake.succeeded()) {
            meters.attribution(attribution.outcome());
        }
        String clientId = attribution.clientId();
        if (clientId != null) {
            forwardClient(ClientSignal.attributed(clientId, handshake, attribution.vouches()), record);
        }
        if (ja4 != null) {
            forwardFingerprint(new FingerprintSignal(ja4, time, handshake.clientHello().highestOfferedVersion(),
                    clientId, address, handshake.outcome()), record);
        }
    }

    private AddressBook book(String address) {
        AddressBook book = books.get(address);
        return book == null ? AddressBook.empty() : book;
    }

    private void learn(String address, String clientId, String ja4, String vouch, Instant time) {
        books.put(address, book(address).learn(clientId, ja4, vouch, time, window, maxClientsPerAddress));
    }

    private void forwardClient(ClientSignal signal, Record<String, AddressSignal> record) {
        context.forward(new Record<>(signal.clientId(), Routed.client(signal), record.timestamp()));
    }

    private void forwardFingerprint(FingerprintSignal signal, Record<String, AddressSignal> record) {
        context.forward(new Record<>(signal.ja4(), Routed.fingerprint(signal), record.timestamp()));
    }

    /** Forgets addresses where no client was seen within the window, so the store stays bounded. */
    private void sweep(long streamTime) {
        Instant cutoff = Instant.ofEpochMilli(streamTime).minus(window);
        List<KeyValue<String, AddressBook>> changes = new ArrayList<>();
        try (KeyValueIterator<String, AddressBook> all = books.all()) {
            while (all.hasNext()) {
                KeyValue<String, AddressBook> entry = all.next();
                AddressBook kept = entry.value.forgetBefore(cutoff);
                if (kept.clients().size() != entry.value.clients().size()) {
                    changes.add(KeyValue.pair(entry.key, kept.clients().isEmpty() ? null : kept));
                }
            }
        }
        changes.forEach(c -> books.put(c.key, c.value));
    }
}
