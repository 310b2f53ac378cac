package io.tlswatch.streams.attribution;

import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.streams.event.TlsVersions;
import io.tlswatch.streams.event.WindowTime;
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
 * Runs per remote address. Learns from license checks and reports which clients (and fingerprints) are seen
 * at the address, and attributes what names no client (failed or successful handshakes, NEL reports) to the
 * one client seen there within the window with the event's fingerprint ({@link AddressBook#attribute}): none
 * when that is several or a fingerprint none of them came with (ambiguous), or nobody (unknown). A failed
 * handshake (or an offer at the collector's listener) it cannot attribute waits in a bounded per-address buffer
 * ({@link PendingHandshakes}) until a check or report teaches its address, and is then attributed again, or
 * until it is older than the window. Sends every client's events on by client id, and every fingerprint seen on
 * by JA4.
 */
public final class AttributionProcessor implements Processor<String, AddressSignal, String, Routed> {

    private final Duration window;
    private final Duration grace;
    private final int maxClientsPerAddress;
    private final PendingBounds bounds;
    private final Duration sweepEvery;
    private final StreamsMeters meters;
    private ProcessorContext<String, Routed> context;
    private KeyValueStore<String, AddressBook> books;
    private AddressDue booksDue;
    private KeyValueStore<String, PendingHandshakes> pending;
    private AddressDue pendingDue;
    /** Handshakes in this task's pending store: counted once at init (restored state), then kept up to date. */
    private int buffered;

    public AttributionProcessor(Duration window, Duration grace, int maxClientsPerAddress, PendingBounds bounds,
                                Duration sweepEvery, StreamsMeters meters) {
        this.window = window;
        this.grace = grace;
        this.maxClientsPerAddress = maxClientsPerAddress;
        this.bounds = bounds;
        this.sweepEvery = sweepEvery;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.books = context.getStateStore(Names.ADDRESS_BOOK_STORE);
        this.booksDue = new AddressDue(context.getStateStore(Names.ADDRESS_DUE_STORE));
        this.pending = context.getStateStore(Names.PENDING_HANDSHAKES_STORE);
        this.pendingDue = new AddressDue(context.getStateStore(Names.PENDING_DUE_STORE));
        // State written before the due indexes existed (an upgrade) is indexed once here. Afterwards an empty
        // index means an empty store, and indexing it reads nothing.
        boolean indexPending = pendingDue.isEmpty();
        int count = 0;
        try (KeyValueIterator<String, PendingHandshakes> all = pending.all()) {
            while (all.hasNext()) {
                KeyValue<String, PendingHandshakes> entry = all.next();
                count += entry.value.size();
                if (indexPending) {
                    scheduleIfSooner(pendingDue, entry.key, null, entry.value.oldest());
                }
            }
        }
        buffered(count);
        if (booksDue.isEmpty()) {
            try (KeyValueIterator<String, AddressBook> all = books.all()) {
                while (all.hasNext()) {
                    KeyValue<String, AddressBook> entry = all.next();
                    scheduleIfSooner(booksDue, entry.key, null, entry.value.oldest());
                }
            }
        }
        context.schedule(sweepEvery, PunctuationType.STREAM_TIME, this::sweep);
    }

    @Override
    public void close() {
        buffered(0);
    }

    private void buffered(int count) {
        meters.pendingHandshakes(count - buffered);
        buffered = count;
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
            AddressBook before = book(address);
            AddressBook book = learn(address, before, check.clientId(), check.ja4(), Vouch.of(check), time);
            forwardClient(ClientSignal.own(check.clientId(), check), record);
            replayIfNew(address, before, book, check.clientId(), time);
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
            AddressBook before = book(address);
            AddressBook book = learn(address, before, clientId, ja4, Vouch.of(report), time);
            forwardClient(ClientSignal.own(clientId, report), record);
            replayIfNew(address, before, book, clientId, time);
        } else {
            AddressBook.Attribution attribution = book(address).attribute(ja4, time, window);
            meters.attribution(attribution.outcome().tag());
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
            meters.attribution(attribution.outcome().tag());
        }
        String clientId = attribution.clientId();
        if (clientId != null) {
            forwardClient(ClientSignal.attributed(clientId, handshake, attribution.vouches()), record);
        } else if (convicting(handshake)) {
            hold(address, handshake);
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

    private AddressBook learn(String address, AddressBook before, String clientId, String ja4, String vouch,
                              Instant time) {
        AddressBook book = before.learn(clientId, ja4, vouch, time, window, maxClientsPerAddress);
        books.put(address, book);
        scheduleIfSooner(booksDue, address, before.oldest(), book.oldest());
        return book;
    }

    /**
     * Replays the address's held handshakes when the lesson can change their attribution: a client new at the
     * address (or back after ageing out), or a JA4 new for it. A client's routine check changes nothing for them.
     */
    private void replayIfNew(String address, AddressBook before, AddressBook after, String clientId, Instant time) {
        AddressBook.Seen was = before.clients().get(clientId);
        AddressBook.Seen is = after.clients().get(clientId);
        boolean news = was == null || is != null && !is.ja4s().equals(was.ja4s());
        if (news) {
            replay(address, after, time);
        }
    }

    /**
     * Whether the handshake is worth holding for a later attribution: one that can count against a client (a
     * failure, an offer at the collector's listener). A success at the license server is followed by that
     * connection's license check, which says more.
     */
    private static boolean convicting(HandshakeEvent handshake) {
        return !handshake.succeeded() || HandshakeEvent.LISTENER_COLLECTOR.equals(handshake.listener());
    }

    private void hold(String address, HandshakeEvent handshake) {
        if (buffered >= bounds.total()) {
            meters.pendingEvicted(StreamsMeters.PendingEviction.FULL, 1);
            return;
        }
        PendingHandshakes before = pending(address);
        PendingHandshakes.Added added = before.add(handshake, bounds.perAddress());
        pending.put(address, added.pending());
        scheduleIfSooner(pendingDue, address, before.oldest(), added.pending().oldest());
        meters.pendingEvicted(StreamsMeters.PendingEviction.ADDRESS_FULL, added.evicted());
        buffered(buffered + 1 - added.evicted());
    }

    /**
     * The address was just taught by a check or report at {@code learnedAt}: the handshakes held for it within the
     * window before that are attributed again with what the book now knows (the same rules, so a fingerprint still
     * has to match on a shared address). Those it now attributes go on as if they had been attributed when they
     * came; the rest wait for the next lesson or for the window to pass.
     */
    private void replay(String address, AddressBook book, Instant learnedAt) {
        PendingHandshakes held = pending.get(address);
        if (held == null) {
            return;
        }
        PendingHandshakes recent = held.since(learnedAt.minus(window));
        meters.pendingEvicted(StreamsMeters.PendingEviction.EXPIRED, held.size() - recent.size());
        List<HandshakeEvent> kept = new ArrayList<>();
        for (HandshakeEvent handshake : recent.handshakes()) {
            String ja4 = handshake.clientHello() == null ? null : handshake.clientHello().ja4();
            AddressBook.Attribution attribution = book.attribute(ja4, handshake.time(), window);
            if (attribution.clientId() == null) {
                kept.add(handshake);
                continue;
            }
            meters.replayed();
            ClientSignal signal = ClientSignal.attributed(attribution.clientId(), handshake, attribution.vouches());
            context.forward(new Record<>(signal.clientId(), Routed.client(signal), handshake.time().toEpochMilli()));
        }
        if (kept.size() != held.size()) {
            pending.put(address, kept.isEmpty() ? null : new PendingHandshakes(kept));
            buffered(buffered - (held.size() - kept.size()));
        }
    }

    private PendingHandshakes pending(String address) {
        PendingHandshakes held = pending.get(address);
        return held == null ? PendingHandshakes.empty() : held;
    }

    private void forwardClient(ClientSignal signal, Record<String, AddressSignal> record) {
        context.forward(new Record<>(signal.clientId(), Routed.client(signal), record.timestamp()));
    }

    private void forwardFingerprint(FingerprintSignal signal, Record<String, AddressSignal> record) {
        context.forward(new Record<>(signal.ja4(), Routed.fingerprint(signal), record.timestamp()));
    }

    /**
     * The address's entry in {@code index} stays at or before its due time: a new entry is needed only when
     * {@code after}, its oldest time now, comes before {@code before}, its oldest time until now.
     */
    private void scheduleIfSooner(AddressDue index, String address, Instant before, Instant after) {
        if (after != null && (before == null || after.isBefore(before))) {
            index.schedule(dueAfter(after), address);
        }
    }

    /** When what was seen at {@code oldest} leaves the window: the first sweep at which it is older. */
    private Instant dueAfter(Instant oldest) {
        return oldest.plus(window).plusMillis(1);
    }

    /**
     * Forgets clients not seen at their address within the window, and held handshakes older than the window, so
     * the stores stay bounded. Reads only the addresses the due indexes say are due, not every address.
     */
    private void sweep(long streamTime) {
        Instant cutoff = Instant.ofEpochMilli(streamTime).minus(window);
        sweepPending(streamTime, cutoff);
        for (String address : booksDue.takeDue(streamTime)) {
            AddressBook book = books.get(address);
            if (book == null) {
                continue;
            }
            AddressBook kept = book.forgetBefore(cutoff);
            if (kept.clients().size() != book.clients().size()) {
                books.put(address, kept.clients().isEmpty() ? null : kept);
            }
            if (!kept.clients().isEmpty()) {
                booksDue.schedule(dueAfter(kept.oldest()), address);
            }
        }
    }

    private void sweepPending(long streamTime, Instant cutoff) {
        int expired = 0;
        for (String address : pendingDue.takeDue(streamTime)) {
            PendingHandshakes held = pending.get(address);
            if (held == null) {
                continue;
            }
            PendingHandshakes kept = held.since(cutoff);
            if (kept.size() != held.size()) {
                expired += held.size() - kept.size();
                pending.put(address, kept.isEmpty() ? null : kept);
            }
            if (!kept.isEmpty()) {
                pendingDue.schedule(dueAfter(kept.oldest()), address);
            }
        }
        meters.pendingEvicted(StreamsMeters.PendingEviction.EXPIRED, expired);
        buffered(buffered - expired);
    }
}
