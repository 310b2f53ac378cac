package io.tlswatch.streams.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.serde.JsonSerde;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.streams.attribution.AddressSignal;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.streams.config.StreamsProperties;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.names.Names;
import io.tlswatch.streams.posture.ClientState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;

/** The posture topology in a TopologyTestDriver, with typed input and output topics. */
final class PostureDriver implements AutoCloseable {

    final PostureJobConfig config;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    private final Path stateDir;
    private final TestInputTopic<String, HandshakeEvent> handshakes;
    private final TestInputTopic<String, LicenseCheckEvent> checks;
    private final TestInputTopic<String, ClientReportEvent> reports;
    private final TestInputTopic<String, byte[]> rawHandshakes;
    private final TestOutputTopic<String, AlertEvent> alerts;
    private final TestOutputTopic<String, ClientPosture> postures;
    private final TestOutputTopic<String, FingerprintPosture> fingerprints;
    private final TestOutputTopic<String, byte[]> deadLetters;
    private final TestOutputTopic<String, AddressSignal> byAddress;
    private final TestInputTopic<String, AddressSignal> byAddressInput;

    PostureDriver(PostureJobConfig config) {
        this.config = config;
        try {
            this.stateDir = Files.createTempDirectory("posture-driver");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        Properties props = StreamsProperties.of(config, null);
        props.put("state.dir", stateDir.toString());
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);
        driver = new TopologyTestDriver(PostureTopology.build(config, new StreamsMeters(registry, PostureTopology.meterTags()), clock), props);
        var t = config.topics();
        handshakes = input(t.handshakes());
        checks = input(t.licenseChecks());
        reports = input(t.clientReports());
        rawHandshakes = driver.createInputTopic(t.handshakes().name(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        alerts = output(t.alerts());
        postures = output(t.clientPosture());
        fingerprints = output(t.fingerprintPosture());
        deadLetters = output(t.deadLetters());
        String byAddressTopic = Names.repartitionTopic(config.applicationId(), Names.BY_ADDRESS);
        byAddress = driver.createOutputTopic(byAddressTopic, Serdes.String().deserializer(),
                JsonSerde.of(AddressSignal.class).deserializer());
        byAddressInput = driver.createInputTopic(byAddressTopic, Serdes.String().serializer(),
                JsonSerde.of(AddressSignal.class).serializer());
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Pipes events in order, each with its event time as the record timestamp, as producers would. */
    PostureDriver send(Event... events) {
        for (Event e : events) {
            if (e instanceof HandshakeEvent h) {
                handshakes.pipeInput(h.key(), h, h.time());
            } else if (e instanceof LicenseCheckEvent c) {
                checks.pipeInput(c.key(), c, c.time());
            } else if (e instanceof ClientReportEvent r) {
                reports.pipeInput(r.key(), r, r.time());
            } else {
                throw new IllegalArgumentException("not an input: " + e);
            }
        }
        return this;
    }

    PostureDriver sendRawHandshake(String key, byte[] value, Instant time) {
        rawHandshakes.pipeInput(key, value, time);
        return this;
    }

    List<AlertEvent> alerts() {
        return alerts.readValuesToList();
    }

    List<ClientPosture> postureRows() {
        return postures.readValuesToList();
    }

    List<TestRecord<String, ClientPosture>> postureRecords() {
        return postures.readRecordsToList();
    }

    List<FingerprintPosture> fingerprintRows() {
        return fingerprints.readValuesToList();
    }

    /** Writes to the {@code by-address} repartition topic as the upstream step (or an earlier version) does. */
    PostureDriver sendToByAddress(AddressSignal signal) {
        byAddressInput.pipeInput(signal.address(), signal, signal.event().time());
        return this;
    }

    /** What went through the {@code by-address} repartition topic since the last call. */
    List<AddressSignal> byAddress() {
        return byAddress.readValuesToList();
    }

    List<TestRecord<String, byte[]>> deadLetters() {
        return deadLetters.readRecordsToList();
    }

    ClientPosture posture(String clientId) {
        KeyValueStore<String, ClientPosture> store = driver.getKeyValueStore(Names.CLIENT_POSTURE_STORE);
        return store.get(clientId);
    }

    ClientState state(String clientId) {
        KeyValueStore<String, ClientState> store = driver.getKeyValueStore(Names.CLIENT_STATE_STORE);
        return store.get(clientId);
    }

    FingerprintPosture fingerprint(String ja4) {
        KeyValueStore<String, FingerprintPosture> store = driver.getKeyValueStore(Names.FINGERPRINT_POSTURE_STORE);
        return store.get(ja4);
    }

    /** The sum over every counter of that name with these tags (others may differ in the rest). */
    double counter(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    double gauge(String name) {
        var gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Override
    public void close() {
        driver.close();
        try (var files = Files.walk(stateDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
