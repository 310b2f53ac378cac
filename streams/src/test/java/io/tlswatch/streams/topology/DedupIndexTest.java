package io.tlswatch.streams.topology;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class DedupIndexTest {

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    private final KeyValueStore<String, Long> ids = store("ids", Serdes.String(), Serdes.Long());
    private final KeyValueStore<Bytes, byte[]> entries = store("index", Serdes.Bytes(), Serdes.ByteArray());
    private final DedupIndex index = new DedupIndex(entries);

    private <K, V> KeyValueStore<K, V> store(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        return store;
    }

    @Test
    void keysSortByTimeThenIdForNegativeAndPositiveTimes() {
        List<Bytes> keys = new ArrayList<>(List.of(DedupIndex.key(1, "a"), DedupIndex.key(-1, "z"),
                DedupIndex.key(0, "b"), DedupIndex.key(0, "a"), DedupIndex.key(Long.MAX_VALUE, "a"),
                DedupIndex.key(Long.MIN_VALUE, "a")));

        keys.sort(Bytes::compareTo);

        assertThat(keys).extracting(DedupIndex::time, DedupIndex::id).containsExactly(
                tuple(Long.MIN_VALUE, "a"), tuple(-1L, "z"),
                tuple(0L, "a"), tuple(0L, "b"),
                tuple(1L, "a"), tuple(Long.MAX_VALUE, "a"));
    }

    @Test
    void aRebuiltIndexLetsExpiryForgetIdsItNeverSawWritten() {
        ids.put("old", 100L);
        ids.put("new", 200L);

        long indexed = index.rebuild(ids);
        long removed = index.expire(150, ids);

        assertThat(indexed).isEqualTo(2);
        assertThat(removed).isEqualTo(1);
        assertThat(ids.get("old")).isNull();
        assertThat(ids.get("new")).isEqualTo(200L);
        assertThat(keys(entries)).extracting(DedupIndex::id).containsExactly("new");
    }

    @Test
    void anEntryLeftBehindByANewerTimeExpiresWithoutForgettingTheId() {
        ids.put("id", 300L);
        index.add(100, "id");
        index.add(300, "id");

        long removed = index.expire(200, ids);

        assertThat(removed).isEqualTo(1);
        assertThat(ids.get("id")).isEqualTo(300L);
        assertThat(keys(entries)).extracting(DedupIndex::time).containsExactly(300L);
    }

    @Test
    void expiryForgetsUpToItsBoundInclusiveAndNothingLater() {
        ids.put("due", 100L);
        ids.put("later", 101L);
        index.rebuild(ids);

        long removed = index.expire(100, ids);

        assertThat(removed).isEqualTo(1);
        assertThat(keys(ids)).containsExactly("later");
    }

    private static <K, V> List<K> keys(KeyValueStore<K, V> store) {
        List<K> keys = new ArrayList<>();
        try (KeyValueIterator<K, V> all = store.all()) {
            all.forEachRemaining((KeyValue<K, V> entry) -> keys.add(entry.key));
        }
        return keys;
    }
}
