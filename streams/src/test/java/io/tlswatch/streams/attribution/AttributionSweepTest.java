package io.tlswatch.streams.attribution;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.serde.JsonSerde;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.names.Names;
import io.tlswatch.streams.topology.PostureTopology;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

/** The attribution step's sweep reads the addresses its due indexes say are due, not every address it holds. */
class AttributionSweepTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final int FRESH = 100;

    private final MockProcessorContext<String, Routed> context = new MockProcessorContext<>();
    private final CountingStore<AddressBook> books = new CountingStore<>(Names.ADDRESS_BOOK_STORE,
            JsonSerde.withOpenKeys(AddressBook.class));
    private final CountingStore<String> booksDue = new CountingStore<>(Names.ADDRESS_DUE_STORE, Serdes.String());
    private final CountingStore<PendingHandshakes> pending = new CountingStore<>(Names.PENDING_HANDSHAKES_STORE,
            JsonSerde.of(PendingHandshakes.class));
    private final CountingStore<String> pendingDue = new CountingStore<>(Names.PENDING_DUE_STORE, Serdes.String());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AttributionProcessor attribution = new AttributionProcessor(WINDOW, Duration.ofHours(1), 64,
            new PendingBounds(16, 10_000), Duration.ofMinutes(1),
            new StreamsMeters(registry, PostureTopology.meterTags()));

    @BeforeEach
    void stores() {
        for (CountingStore<?> store : List.of(books, booksDue, pending, pendingDue)) {
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }
    }

    private void start() {
        context.setCurrentStreamTimeMs(minutes(0).toEpochMilli());
        attribution.init(context);
    }

    private void send(HandshakeEvent handshake) {
        process(AddressSignal.of(handshake), handshake.time());
    }

    private void teach(String clientId, String address, Instant time) {
        process(AddressSignal.of(validCheck(clientId, address, time)), time);
    }

    private void process(AddressSignal signal, Instant time) {
        context.setCurrentStreamTimeMs(Math.max(context.currentStreamTimeMs(), time.toEpochMilli()));
        attribution.process(new Record<>(signal.address(), signal, time.toEpochMilli()));
    }

    private void sweepAt(Instant streamTime) {
        context.setCurrentStreamTimeMs(streamTime.toEpochMilli());
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(streamTime.toEpochMilli());
    }

    private static String address(int i) {
        return "203.0.113." + i;
    }

    private static List<String> keys(CountingStore<?> store) {
        List<String> keys = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(e -> keys.add(e.key));
        }
        return keys;
    }

    @Test
    void aSweepReadsOnlyTheAddressBookThatIsDue() {
        start();
        teach("client-old", "198.51.100.7", minutes(0));
        for (int i = 0; i < FRESH; i++) {
            teach("client-" + i, address(i), minutes(9));
        }
        books.resetCounts();

        sweepAt(minutes(10).plusMillis(1));

        assertThat(books.gets).isEqualTo(1);
        assertThat(books.scans).isZero();
        assertThat(books.get("198.51.100.7")).isNull();
        assertThat(keys(books)).hasSize(FRESH);
    }

    @Test
    void aSweepReadsOnlyTheHeldHandshakesThatAreDue() {
        start();
        send(outdatedFailure("198.51.100.7", minutes(0)));
        for (int i = 0; i < FRESH; i++) {
            send(outdatedFailure(address(i), minutes(9)));
        }
        pending.resetCounts();

        sweepAt(minutes(10).plusMillis(1));

        assertThat(pending.gets).isEqualTo(1);
        assertThat(pending.scans).isZero();
        assertThat(pending.get("198.51.100.7")).isNull();
        assertThat(keys(pending)).hasSize(FRESH);
        assertThat(registry.get("tlswatch.streams.attributions.pending").gauge().value()).isEqualTo(FRESH);
    }

    @Test
    void aClientSeenAgainIsForgottenAWindowAfterItsLastSightingNotItsFirst() {
        start();
        teach("client-a", "198.51.100.7", minutes(0));
        teach("client-a", "198.51.100.7", minutes(5));

        sweepAt(minutes(10).plusMillis(1));
        AddressBook afterFirstDue = books.get("198.51.100.7");
        sweepAt(minutes(15).plusMillis(1));

        assertThat(afterFirstDue.clients()).containsOnlyKeys("client-a");
        assertThat(books.get("198.51.100.7")).isNull();
        assertThat(keys(booksDue)).isEmpty();
    }

    @Test
    void aClientIsStillKnownAtExactlyAWindowAfterItWasSeen() {
        start();
        teach("client-a", "198.51.100.7", minutes(0));

        sweepAt(minutes(10));

        assertThat(books.get("198.51.100.7").clients()).containsOnlyKeys("client-a");
    }

    @Test
    void stateWrittenBeforeTheDueIndexesExistedIsIndexedAtStartAndSwept() {
        books.put("198.51.100.7", AddressBook.empty().learn("client-a", null, null, minutes(0), WINDOW, 64));
        pending.put("198.51.100.8", PendingHandshakes.empty().add(outdatedFailure("198.51.100.8", minutes(0)), 16)
                .pending());

        start();
        sweepAt(minutes(10).plusMillis(1));

        assertThat(keys(books)).isEmpty();
        assertThat(keys(pending)).isEmpty();
        assertThat(keys(booksDue)).isEmpty();
        assertThat(keys(pendingDue)).isEmpty();
    }
}
