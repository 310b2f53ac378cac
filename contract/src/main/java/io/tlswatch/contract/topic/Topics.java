package io.tlswatch.contract.topic;

import io.tlswatch.contract.event.AdminTokenRecord;
import io.tlswatch.contract.event.AlertDeadLetter;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.serde.JsonSerde;
import io.tlswatch.contract.topic.Topic.CleanupPolicy;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The topic catalogue: the single place where topic names, serdes and creation settings are defined
 * (docs/events.md). Keys are always strings; values are versioned JSON events.
 */
public final class Topics {

    /** Six partitions let up to six instances of a consumer share the work and stay cheap on one broker. */
    public static final int DEFAULT_PARTITIONS = 6;
    private static final Duration EVENT_RETENTION = Duration.ofDays(7);
    private static final Duration ALERT_RETENTION = Duration.ofDays(30);
    // Compacted tables keep their latest row per key forever; these settings bound how long a
    // superseded row or a tombstone lingers, so restoring a table stays fast.
    private static final Map<String, String> TABLE_CONFIG = Map.of(
            TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1",
            TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(Duration.ofDays(1).toMillis()),
            TopicConfig.SEGMENT_MS_CONFIG, String.valueOf(Duration.ofHours(6).toMillis()));

    public static final Topic<String, HandshakeEvent> HANDSHAKES =
            event("tlswatch.handshakes.v1", HandshakeEvent.class, EVENT_RETENTION);
    public static final Topic<String, LicenseCheckEvent> LICENSE_CHECKS =
            event("tlswatch.license-checks.v1", LicenseCheckEvent.class, EVENT_RETENTION);
    public static final Topic<String, CertificateEvent> CERTIFICATES =
            event("tlswatch.certificates.v1", CertificateEvent.class, Duration.ofDays(90));
    public static final Topic<String, ClientReportEvent> CLIENT_REPORTS =
            event("tlswatch.client-reports.v1", ClientReportEvent.class, EVENT_RETENTION);
    public static final Topic<String, LicenseRecord> LICENSES =
            table("tlswatch.licenses.v1", LicenseRecord.class);
    public static final Topic<String, PolicyRecord> POLICIES =
            table("tlswatch.policies.v1", PolicyRecord.class);
    /**
     * Every row of a license goes to the partition of its license id (not of the record key), so that all
     * replicas see a license's activations in one order; see {@link MachineRecord}.
     */
    public static final Topic<String, MachineRecord> MACHINES =
            table("tlswatch.machines.v1", MachineRecord.class);
    public static final Topic<String, AdminTokenRecord> ADMIN_TOKENS =
            table("tlswatch.admin-tokens.v1", AdminTokenRecord.class);
    public static final Topic<String, ClientPosture> CLIENT_POSTURE =
            table("tlswatch.client-posture.v1", ClientPosture.class);
    public static final Topic<String, FingerprintPosture> FINGERPRINT_POSTURE =
            table("tlswatch.fingerprint-posture.v1", FingerprintPosture.class);
    public static final Topic<String, AlertEvent> ALERTS =
            event("tlswatch.alerts.v1", AlertEvent.class, ALERT_RETENTION);
    /** Alerts the notifier could not deliver, with every attempt's outcome; kept as long as the alerts. */
    public static final Topic<String, AlertDeadLetter> ALERTS_DLQ =
            event("tlswatch.alerts.dlq.v1", AlertDeadLetter.class, ALERT_RETENTION);

    /**
     * Where the streams job puts input records it cannot read (bytes that do not parse as the topic's event):
     * the original key and value bytes, with headers naming the reason and where the record came from
     * (docs/streams.md, "Dead letters"). Not part of {@link #ALL}: it is the streams job's, not the design's
     * data flow, and the job creates it.
     */
    public static final Topic<String, byte[]> STREAMS_DEAD_LETTERS = new Topic<>("tlswatch.streams.dlq.v1",
            keySerde(), Serdes.ByteArray(), DEFAULT_PARTITIONS, CleanupPolicy.DELETE, Duration.ofDays(14), Map.of());

    /** Every topic of the catalogue, in the order docs/events.md lists them. */
    public static final List<Topic<String, ?>> ALL = List.of(
            HANDSHAKES, LICENSE_CHECKS, CERTIFICATES, CLIENT_REPORTS,
            LICENSES, POLICIES, MACHINES, ADMIN_TOKENS, CLIENT_POSTURE, FINGERPRINT_POSTURE, ALERTS,
            ALERTS_DLQ);

    private Topics() {
    }

    private static <V> Topic<String, V> event(String name, Class<V> type, Duration retention) {
        return new Topic<>(name, keySerde(), JsonSerde.of(type), DEFAULT_PARTITIONS, CleanupPolicy.DELETE,
                retention, Map.of());
    }

    private static <V> Topic<String, V> table(String name, Class<V> type) {
        return new Topic<>(name, keySerde(), JsonSerde.of(type), DEFAULT_PARTITIONS, CleanupPolicy.COMPACT,
                null, TABLE_CONFIG);
    }

    private static Serde<String> keySerde() {
        return Serdes.String();
    }
}
