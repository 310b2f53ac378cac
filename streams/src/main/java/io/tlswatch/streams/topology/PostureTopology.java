package io.tlswatch.streams.topology;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.serde.JsonSerde;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.streams.attribution.AddressBook;
import io.tlswatch.streams.attribution.AddressSignal;
import io.tlswatch.streams.attribution.AttributionOutcome;
import io.tlswatch.streams.attribution.AttributionProcessor;
import io.tlswatch.streams.attribution.ClientSignal;
import io.tlswatch.streams.attribution.FingerprintSignal;
import io.tlswatch.streams.attribution.LicenseSignal;
import io.tlswatch.streams.attribution.PendingHandshakes;
import io.tlswatch.streams.attribution.Routed;
import io.tlswatch.streams.config.JobTopics;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.streams.fingerprint.FingerprintOutput;
import io.tlswatch.streams.fingerprint.FingerprintProcessor;
import io.tlswatch.streams.fingerprint.FingerprintRules;
import io.tlswatch.streams.fingerprint.FingerprintState;
import io.tlswatch.streams.license.LicenseSharingProcessor;
import io.tlswatch.streams.license.LicenseSharingRules;
import io.tlswatch.streams.license.LicenseUsage;
import io.tlswatch.streams.metrics.MeterTags;
import io.tlswatch.streams.metrics.StreamsMeters;
import io.tlswatch.streams.names.Names;
import io.tlswatch.streams.posture.ClientAlerts;
import io.tlswatch.streams.posture.ClientPostureRows;
import io.tlswatch.streams.posture.ClientState;
import io.tlswatch.streams.posture.PostureOutput;
import io.tlswatch.streams.posture.PostureProcessor;
import io.tlswatch.streams.posture.PostureRules;
import io.tlswatch.streams.posture.PostureTracker;
import io.tlswatch.streams.posture.ReportBinding;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The posture job's topology, as a pure function of its configuration (docs/streams.md has the picture):
 *
 * <ol>
 *   <li>each input is parsed (poison to the dead-letter topic) and deduplicated on event id;</li>
 *   <li>checks and reports are repartitioned by remote address ({@value Names#BY_ADDRESS}); handshakes, keyed by
 *       remote address on their own topic, join them there without a repartition. There checks and reports
 *       teach which clients use an address and handshakes and NEL reports are attributed;</li>
 *   <li>client events are repartitioned by client id ({@value Names#BY_CLIENT}) into the posture step, which
 *       writes posture rows and client alerts;</li>
 *   <li>fingerprints seen are repartitioned by JA4 ({@value Names#BY_FINGERPRINT}) into the fingerprint step,
 *       which writes fingerprint rows and alerts.</li>
 * </ol>
 */
public final class PostureTopology {

    private PostureTopology() {
    }

    /** The tag values this topology records under, for the meters to register at start. */
    public static MeterTags meterTags() {
        return new MeterTags(List.of(Names.HANDSHAKES, Names.LICENSE_CHECKS, Names.CLIENT_REPORTS),
                Arrays.stream(AttributionOutcome.values()).map(AttributionOutcome::tag).toList(),
                Arrays.stream(ReportBinding.Unbound.values()).map(ReportBinding.Unbound::tag).toList(),
                List.of(AlertEvent.KIND_CLIENT_POSTURE, AlertEvent.KIND_FINGERPRINT_OUTDATED,
                        LicenseSharingRules.KIND));
    }

    /**
     * The topology for topics of the catalogue's partition counts (a test driver, which has no partitions, or a
     * cluster whose handshakes topic has them).
     */
    public static Topology build(PostureJobConfig config, StreamsMeters meters, Clock clock) {
        return build(config, config.topics().handshakes().partitions(), meters, clock);
    }

    /**
     * @param addressPartitions the partition count of the handshakes topic as deployed: the {@code by-address}
     *                          repartition topic must have as many ({@link AddressPartitions})
     */
    public static Topology build(PostureJobConfig config, int addressPartitions, StreamsMeters meters, Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        JobTopics topics = config.topics();
        Serde<String> keys = Serdes.String();

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.DEDUP_IDS_STORE),
                keys, Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.DEDUP_DUE_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled());
        // Its field names are client ids: read without Jackson's shared name table (JsonSerde.withOpenKeys).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.ADDRESS_BOOK_STORE),
                keys, JsonSerde.withOpenKeys(AddressBook.class)).withCachingEnabled());
        builder.addStateStore(due(Names.ADDRESS_DUE_STORE));
        builder.addStateStore(table(Names.PENDING_HANDSHAKES_STORE, PendingHandshakes.class));
        builder.addStateStore(due(Names.PENDING_DUE_STORE));
        builder.addStateStore(table(Names.CLIENT_STATE_STORE, ClientState.class));
        builder.addStateStore(table(Names.CLIENT_POSTURE_STORE, ClientPosture.class));
        builder.addStateStore(due(Names.CLIENT_DUE_STORE));
        builder.addStateStore(table(Names.FINGERPRINT_STATE_STORE, FingerprintState.class));
        builder.addStateStore(table(Names.FINGERPRINT_POSTURE_STORE, FingerprintPosture.class));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                Names.FINGERPRINT_MEMBERS_STORE), keys, Serdes.Long()).withCachingEnabled());
        builder.addStateStore(table(Names.LICENSE_STATE_STORE, LicenseUsage.class));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(
                Names.LICENSE_MEMBERS_STORE), keys, Serdes.Long()).withCachingEnabled());

        KStream<String, HandshakeEvent> handshakes = read(builder, Names.HANDSHAKES, topics.handshakes(), config,
                meters);
        KStream<String, LicenseCheckEvent> checks = read(builder, Names.LICENSE_CHECKS, topics.licenseChecks(),
                config, meters);
        KStream<String, ClientReportEvent> reports = read(builder, Names.CLIENT_REPORTS, topics.clientReports(),
                config, meters);

        // The handshakes topic is keyed by remote address already, so a handshake reaches attribution on the task
        // of its own partition; only a record keyed otherwise (not as the catalogue says) takes the repartition.
        Map<String, KStream<String, HandshakeEvent>> handshakesByKey = handshakes
                .split(Named.as(Names.HANDSHAKES + "-keyed-"))
                .branch((k, v) -> v.remoteAddress().equals(k), Branched.as("by-address"))
                .defaultBranch(Branched.as("otherwise"));
        KStream<String, AddressSignal> repartitioned = handshakesByKey.get(Names.HANDSHAKES + "-keyed-otherwise")
                .map((k, v) -> KeyValue.pair(v.remoteAddress(), AddressSignal.of(v)),
                        Named.as(Names.HANDSHAKES + "-to-address"))
                .merge(checks.map((k, v) -> KeyValue.pair(v.remoteAddress(), AddressSignal.of(v)),
                        Named.as(Names.LICENSE_CHECKS + "-to-address")), Named.as("merge-" + Names.LICENSE_CHECKS))
                .merge(reports.map((k, v) -> KeyValue.pair(v.remoteAddress(), AddressSignal.of(v)),
                        Named.as(Names.CLIENT_REPORTS + "-to-address")), Named.as("merge-" + Names.CLIENT_REPORTS))
                // As many partitions as the handshakes topic: partition p of both feeds the same attribution task.
                .repartition(Repartitioned.<String, AddressSignal>as(Names.BY_ADDRESS)
                        .withNumberOfPartitions(addressPartitions)
                        .withKeySerde(keys).withValueSerde(JsonSerde.of(AddressSignal.class)));
        KStream<String, AddressSignal> byAddress = handshakesByKey.get(Names.HANDSHAKES + "-keyed-by-address")
                .mapValues(AddressSignal::of, Named.as(Names.HANDSHAKES + "-signal"))
                .merge(repartitioned, Named.as("merge-" + Names.BY_ADDRESS));

        Map<String, KStream<String, Routed>> routed = byAddress
                .process(() -> new AttributionProcessor(config.attributionWindow(), config.grace(),
                                config.maxClientsPerAddress(), config.pendingBounds(), config.evaluateEvery(), meters),
                        Named.as(Names.ATTRIBUTION), Names.ADDRESS_BOOK_STORE, Names.ADDRESS_DUE_STORE,
                        Names.PENDING_HANDSHAKES_STORE, Names.PENDING_DUE_STORE)
                .split(Named.as("routed-"))
                .branch((k, v) -> v.client() != null, Branched.as("client"))
                .branch((k, v) -> v.license() != null, Branched.as("license"))
                .defaultBranch(Branched.as("fingerprint"));

        KStream<String, ClientSignal> byClient = routed.get("routed-client")
                .mapValues(Routed::client, Named.as("client-signal"))
                .repartition(Repartitioned.<String, ClientSignal>as(Names.BY_CLIENT)
                        .withKeySerde(keys).withValueSerde(JsonSerde.of(ClientSignal.class)));
        KStream<String, FingerprintSignal> byFingerprint = routed.get("routed-fingerprint")
                .mapValues(Routed::fingerprint, Named.as("fingerprint-signal"))
                .repartition(Repartitioned.<String, FingerprintSignal>as(Names.BY_FINGERPRINT)
                        .withKeySerde(keys).withValueSerde(JsonSerde.of(FingerprintSignal.class)));

        KStream<String, LicenseSignal> byLicense = routed.get("routed-license")
                .mapValues(Routed::license, Named.as("license-signal"))
                .repartition(Repartitioned.<String, LicenseSignal>as(Names.BY_LICENSE)
                        .withKeySerde(keys).withValueSerde(JsonSerde.of(LicenseSignal.class)));

        PostureTracker tracker = new PostureTracker(new PostureRules(config.rules()), new ClientAlerts(config.source()));
        PostureProcessor.Settings postureSettings = new PostureProcessor.Settings(config.maxObservations(),
                config.evaluateEvery(), config.clientRetention(), config.rowRefresh());
        Map<String, KStream<String, PostureOutput>> posture = byClient
                .process(() -> new PostureProcessor(tracker, new ClientPostureRows(config.source()), postureSettings,
                                meters, clock),
                        Named.as(Names.POSTURE), Names.CLIENT_STATE_STORE, Names.CLIENT_POSTURE_STORE,
                        Names.CLIENT_DUE_STORE)
                .split(Named.as("posture-"))
                .branch((k, v) -> v.isAlert(), Branched.as("alert"))
                .defaultBranch(Branched.as("row"));
        posture.get("posture-alert").mapValues(PostureOutput::alert, Named.as("posture-alert-event"))
                .to(topics.alerts().name(), produced(topics.alerts(), "posture-alerts-sink"));
        posture.get("posture-row").mapValues(PostureOutput::row, Named.as("posture-row-event"))
                .to(topics.clientPosture().name(), produced(topics.clientPosture(), "client-posture-sink"));

        FingerprintRules fingerprintRules = new FingerprintRules(config.fingerprintAlertMinClients(), config.source());
        FingerprintProcessor.Settings fingerprintSettings = new FingerprintProcessor.Settings(config.rules().window(),
                config.evaluateEvery(), config.fingerprintRetention(), config.rowRefresh());
        Map<String, KStream<String, FingerprintOutput>> fingerprints = byFingerprint
                .process(() -> new FingerprintProcessor(fingerprintRules, fingerprintSettings, meters),
                        Named.as(Names.FINGERPRINTS), Names.FINGERPRINT_STATE_STORE, Names.FINGERPRINT_POSTURE_STORE,
                        Names.FINGERPRINT_MEMBERS_STORE)
                .split(Named.as("fingerprints-"))
                .branch((k, v) -> v.isAlert(), Branched.as("alert"))
                .defaultBranch(Branched.as("row"));
        fingerprints.get("fingerprints-alert").mapValues(FingerprintOutput::alert, Named.as("fingerprint-alert-event"))
                .to(topics.alerts().name(), produced(topics.alerts(), "fingerprint-alerts-sink"));
        fingerprints.get("fingerprints-row").mapValues(FingerprintOutput::row, Named.as("fingerprint-row-event"))
                .to(topics.fingerprintPosture().name(), produced(topics.fingerprintPosture(), "fingerprint-posture-sink"));

        LicenseSharingRules sharing = new LicenseSharingRules(config.sharingWindow(), config.sharingMinAddresses(),
                config.sharingMinFingerprints(), config.source());
        byLicense.process(() -> new LicenseSharingProcessor(sharing, config.sharingWindow(), config.evaluateEvery(),
                                meters), Named.as(Names.LICENSE_SHARING), Names.LICENSE_STATE_STORE,
                        Names.LICENSE_MEMBERS_STORE)
                .to(topics.alerts().name(), produced(topics.alerts(), "license-alerts-sink"));

        return builder.build();
    }

    private static <V extends Event> KStream<String, V> read(StreamsBuilder builder, String input,
                                                             Topic<String, V> topic, PostureJobConfig config,
                                                             StreamsMeters meters) {
        Topic<String, byte[]> deadLetters = config.topics().deadLetters();
        Map<String, KStream<String, Parsed<V>>> parsed = builder
                .stream(topic.name(), Consumed.with(topic.keySerde(), Serdes.ByteArray())
                        .withName(Names.source(input)))
                .process(() -> new ParseProcessor<>(input, topic.valueSerde().deserializer(), meters),
                        Named.as(Names.parse(input)))
                .split(Named.as(input + "-"))
                .branch((k, v) -> v.isPoison(), Branched.as("poison"))
                .defaultBranch(Branched.as("ok"));
        parsed.get(input + "-poison").mapValues(Parsed::raw, Named.as(input + "-poison-bytes"))
                .to(deadLetters.name(), Produced.with(deadLetters.keySerde(), deadLetters.valueSerde())
                        .withName(Names.deadLetterSink(input)));
        // The three dedup steps share one index; the handshakes' keeps it (any one of them would do).
        return parsed.get(input + "-ok").mapValues(Parsed::value, Named.as(input + "-event"))
                .processValues(() -> new DedupProcessor<>(config.dedupWindow(), config.evaluateEvery(),
                                Names.HANDSHAKES.equals(input), meters), Named.as(Names.dedup(input)),
                        Names.DEDUP_IDS_STORE, Names.DEDUP_DUE_STORE);
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> table(String name, Class<V> type) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), JsonSerde.of(type))
                .withCachingEnabled();
    }

    /** A due-time index: zero-padded due time and key to the key, read in due order by a punctuation. */
    private static StoreBuilder<KeyValueStore<String, String>> due(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String())
                .withCachingEnabled();
    }

    private static <V> Produced<String, V> produced(Topic<String, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
