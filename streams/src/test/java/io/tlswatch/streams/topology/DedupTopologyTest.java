package io.tlswatch.streams.topology;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.streams.names.Names;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.tlswatch.streams.TestEvents.legacyReport;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static org.assertj.core.api.Assertions.assertThat;

class DedupTopologyTest {

    private static final String ADDRESS = "198.51.100.7";
    private static final String CLIENT = "client-a";
    private static final String DUPLICATES = "tlswatch.streams.events.duplicate";

    private PostureDriver driver;

    /** A one-hour dedup window; grace and attribution wide enough that what dedup keeps is counted. */
    private PostureDriver driver(String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", "unused:9092",
                "alerts.minHold", "0s",
                "posture.rowRefresh", "0s",
                "events.dedupWindow", "1h",
                "events.grace", "1h",
                "attribution.window", "3h"));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        driver = new PostureDriver(PostureJobConfig.from(ConfigSource.of(values)));
        return driver;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** The same event (same id) as a producer would send it again, with the window time {@code time}. */
    private static HandshakeEvent redelivered(HandshakeEvent h, Instant time) {
        return new HandshakeEvent(h.type(), h.id(), time, h.source(), h.remoteAddress(), h.remotePort(),
                h.listener(), h.localPort(), h.outcome(), h.tlsProvider(), h.durationMillis(), h.clientHello(),
                h.negotiated(), h.failureReason(), h.failureMessage(), h.via());
    }

    @Test
    void anIdSeenAgainAWholeWindowEarlierIsDroppedAsADuplicate() {
        PostureDriver d = driver();
        HandshakeEvent original = outdatedFailure(ADDRESS, minutes(120));
        d.send(legacyReport(CLIENT, ADDRESS, minutes(59)), original);

        d.send(redelivered(original, minutes(60)));

        assertThat(d.counter(DUPLICATES)).isEqualTo(1);
        assertThat(d.posture(CLIENT).failuresByReason()).containsEntry("protocol_version", 1L);
    }

    @Test
    void anIdSeenAgainAWholeWindowLaterIsDroppedAsADuplicate() {
        PostureDriver d = driver();
        HandshakeEvent original = outdatedFailure(ADDRESS, minutes(120));
        d.send(legacyReport(CLIENT, ADDRESS, minutes(119)), original);

        d.send(redelivered(original, minutes(180)));

        assertThat(d.counter(DUPLICATES)).isEqualTo(1);
        assertThat(d.posture(CLIENT).failuresByReason()).containsEntry("protocol_version", 1L);
    }

    @Test
    void anIdSeenAgainAWindowAndAMillisecondLaterIsKept() {
        PostureDriver d = driver();
        HandshakeEvent original = outdatedFailure(ADDRESS, minutes(120));
        d.send(legacyReport(CLIENT, ADDRESS, minutes(119)), original);

        d.send(redelivered(original, minutes(180).plusMillis(1)));

        assertThat(d.counter(DUPLICATES)).isZero();
        assertThat(d.posture(CLIENT).failuresByReason()).containsEntry("protocol_version", 2L);
        assertThat(ids(d).get(original.id())).isEqualTo(minutes(180).plusMillis(1).toEpochMilli());
    }

    @Test
    void anIdSeenAgainAWindowAndAMillisecondEarlierIsKept() {
        PostureDriver d = driver();
        HandshakeEvent original = outdatedFailure(ADDRESS, minutes(120));
        d.send(legacyReport(CLIENT, ADDRESS, minutes(119)), original);

        d.send(redelivered(original, minutes(60).minusMillis(1)));

        // Past dedup it is more than the grace late, so attribution drops it: counted late, not duplicate.
        assertThat(d.counter(DUPLICATES)).isZero();
        assertThat(d.counter("tlswatch.streams.events.late")).isEqualTo(1);
    }

    @Test
    void idsAreForgottenTwoWindowsBehindStreamTimeWithTheirIndexEntries() {
        PostureDriver d = driver("events.dedupWindow", "10m", "events.grace", "10m");
        List<HandshakeEvent> sent = IntStream.range(0, 60).mapToObj(m -> outdatedFailure(ADDRESS, minutes(m)))
                .toList();

        sent.forEach(d::send);

        // The sweep at minute 59 forgot everything at or before minute 39.
        List<String> newest = sent.subList(40, 60).stream().map(HandshakeEvent::id).toList();
        assertThat(keys(ids(d))).containsExactlyInAnyOrderElementsOf(newest);
        assertThat(keys(index(d))).extracting(DedupIndex::id).containsExactlyInAnyOrderElementsOf(newest);
        assertThat(d.counter(DUPLICATES)).isZero();
    }

    @Test
    void aForgottenIdIsNoLongerADuplicateEvenBeforeTheSweepRemovesIt() {
        PostureDriver d = driver("events.dedupWindow", "10m", "events.grace", "10m", "posture.evaluateEvery", "1d");
        HandshakeEvent original = outdatedFailure(ADDRESS, minutes(0));
        d.send(original, outdatedFailure(ADDRESS, minutes(21)));

        d.send(redelivered(original, minutes(11)));

        assertThat(d.counter(DUPLICATES)).isZero();
    }

    private static KeyValueStore<String, Long> ids(PostureDriver d) {
        return d.driver.getKeyValueStore(Names.DEDUP_IDS_STORE);
    }

    private static KeyValueStore<Bytes, byte[]> index(PostureDriver d) {
        return d.driver.getKeyValueStore(Names.DEDUP_DUE_STORE);
    }

    private static <K, V> List<K> keys(KeyValueStore<K, V> store) {
        List<K> keys = new ArrayList<>();
        try (KeyValueIterator<K, V> all = store.all()) {
            all.forEachRemaining((KeyValue<K, V> entry) -> keys.add(entry.key));
        }
        return keys;
    }
}
