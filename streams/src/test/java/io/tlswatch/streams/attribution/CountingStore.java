package io.tlswatch.streams.attribution;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.util.List;

/** An in-memory key-value store that counts the reads a step makes of it: single gets and whole scans. */
final class CountingStore<V> implements KeyValueStore<String, V> {

    private final KeyValueStore<String, V> inner;
    int gets;
    int scans;

    CountingStore(String name, Serde<V> values) {
        this.inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingDisabled().build();
    }

    void resetCounts() {
        gets = 0;
        scans = 0;
    }

    @Override
    public V get(String key) {
        gets++;
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        scans++;
        return inner.all();
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        scans++;
        return inner.range(from, to);
    }

    @Override
    public void put(String key, V value) {
        inner.put(key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        inner.putAll(entries);
    }

    @Override
    public V delete(String key) {
        return inner.delete(key);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }
}
