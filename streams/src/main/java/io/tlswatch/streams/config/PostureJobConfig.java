package io.tlswatch.streams.config;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.config.RenamedKeys;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.streams.attribution.PendingBounds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the streams job reads from its configuration, loaded once and checked at start-up. Every key,
 * its default and its meaning are listed in docs/streams.md and docs/posture.md; an unknown key is an error
 * that names it. Kafka Streams and client settings pass through under {@code kafka.}.
 *
 * @param applicationId      the Kafka Streams application id: instances sharing it share the work
 * @param stateDir           where local state (RocksDB) lives; one directory per instance
 * @param adminHost          the interface the query API and admin endpoints bind
 * @param adminPort          their port
 * @param advertisedHost     the host other instances reach this one's query API at
 * @param nodeName           the {@code source} of what the job emits is {@code streams@<nodeName>}
 * @param topics             the topics read and written
 * @param dedupWindow        how long an event id is remembered to drop a redelivery
 * @param grace              how late (behind the newest event time seen) an event may arrive and still count
 * @param attributionWindow  how long an address and fingerprint seen with a client tie failures to it
 * @param maxClientsPerAddress how many clients are remembered per address (beyond, it is ambiguous anyway)
 * @param pendingBounds      how many handshakes not attributable yet are held for a later attribution, per address
 *                           and per task
 * @param rules              the posture rules' thresholds
 * @param evaluateEvery      how often (in event time) every client's posture is re-evaluated
 * @param clientRetention    a client silent for this long is forgotten (its row is deleted)
 * @param maxObservations    evidence kept per client at most (the newest)
 * @param rowRefresh         an unchanged row is re-emitted at most this often just for its newer last-seen
 * @param fingerprintAlertMinClients an outdated fingerprint run by this many clients raises an alert
 * @param fingerprintRetention a fingerprint not seen for this long is forgotten
 * @param sharingWindow      how long a license's addresses and fingerprints count towards the sharing signal
 * @param sharingMinAddresses addresses within the window that make a license look shared
 * @param sharingMinFingerprints TLS fingerprints within the window that make a license look shared
 * @param queryTimeout       how long a query waits for another instance
 * @param queryMaxLimit      the largest {@code limit} a list query accepts
 * @param topStuckClients    how many of its longest-stuck clients an instance exports as an info metric (0: none)
 * @param topOutdatedFingerprints how many of its busiest outdated fingerprints an instance exports as an info
 *                           metric (0: none)
 * @param metricsRefresh     how often the gauges counting the local state are recounted
 * @param readyTimeout       how long start-up waits for the job to be running ({@code startup.timeout})
 * @param shutdownTimeout    how long shutdown waits for the job to close ({@code shutdown.grace})
 * @param kafka              bootstrap servers and pass-through settings
 */
public record PostureJobConfig(
        String applicationId, Path stateDir, String adminHost, int adminPort, String advertisedHost,
        String nodeName, JobTopics topics, Duration dedupWindow, Duration grace, Duration attributionWindow,
        int maxClientsPerAddress, PendingBounds pendingBounds, PostureRulesConfig rules, Duration evaluateEvery, Duration clientRetention,
        int maxObservations, Duration rowRefresh, int fingerprintAlertMinClients, Duration fingerprintRetention,
        Duration sharingWindow, int sharingMinAddresses, int sharingMinFingerprints, Duration queryTimeout,
        int queryMaxLimit, int topStuckClients, int topOutdatedFingerprints, Duration metricsRefresh, Duration readyTimeout,
        Duration shutdownTimeout, KafkaSettings kafka) {

    public static final Set<String> KEYS = withTopicKeys(
            "streams.applicationId", "streams.stateDir", "admin.host", "admin.port", "admin.advertisedHost",
            "node.name",
            "topics.handshakes", "topics.licenseChecks", "topics.clientReports", "topics.clientPosture",
            "topics.fingerprintPosture", "topics.alerts", "topics.deadLetters",
            "events.dedupWindow", "events.grace", "attribution.window", "attribution.maxClientsPerAddress",
            "attribution.pendingPerAddress", "attribution.pendingMax",
            "posture.window", "posture.stuckMinFailures", "posture.atRiskHorizon", "posture.maxClockSkew",
            "posture.degradedMinEvidence", "posture.evaluateEvery", "posture.clientRetention",
            "posture.maxObservations", "posture.rowRefresh", "alerts.minHold", "fingerprints.alertMinClients",
            "fingerprints.retention", "licenses.sharingWindow", "licenses.sharingMinAddresses",
            "licenses.sharingMinFingerprints", "query.timeout", "query.maxLimit", "metrics.topStuckClients",
            "metrics.topOutdatedFingerprints", "metrics.refreshEvery", "startup.timeout",
            "shutdown.grace");

    private static Set<String> withTopicKeys(String... own) {
        Set<String> keys = new HashSet<>(Set.of(own));
        keys.addAll(TopicSettings.KEYS);
        return Set.copyOf(keys);
    }

    /** Keys renamed to be the same in every service; the old names work, with a warning, for one release. */
    public static final RenamedKeys RENAMED = RenamedKeys.of("streams.readyTimeout", "startup.timeout",
            "streams.shutdownTimeout", "shutdown.grace");

    public static PostureJobConfig load(Path file, Map<String, String> environment) {
        return from(ConfigSource.load(file, environment, KEYS, List.of(KafkaSettings.PREFIX), RENAMED));
    }

    public static PostureJobConfig defaults() {
        return from(ConfigSource.of(Map.of()));
    }

    public static PostureJobConfig from(ConfigSource source) {
        ConfigSource c = RENAMED.applyTo(source);
        KafkaSettings kafka = ConfigSource.checked("kafka.bootstrap.servers",
                () -> KafkaSettings.fromPrefixed(c.all(), "localhost:9092"));
        JobTopics d = JobTopics.DEFAULTS;
        JobTopics topics = new JobTopics(
                renamed(c, "topics.handshakes", d.handshakes()),
                renamed(c, "topics.licenseChecks", d.licenseChecks()),
                renamed(c, "topics.clientReports", d.clientReports()),
                renamed(c, "topics.clientPosture", d.clientPosture()),
                renamed(c, "topics.fingerprintPosture", d.fingerprintPosture()),
                renamed(c, "topics.alerts", d.alerts()),
                renamed(c, "topics.deadLetters", d.deadLetters()))
                // The prefix goes on top of a renamed topic too: one deployment, one namespace.
                .named(kafka.topics());
        PostureRulesConfig r = PostureRulesConfig.DEFAULTS;
        PostureRulesConfig rules = ConfigSource.checked("posture.window", () -> new PostureRulesConfig(
                c.positiveDuration("posture.window", r.window()),
                c.integer("posture.stuckMinFailures", r.stuckMinFailures(), 1, 1_000_000),
                c.duration("posture.atRiskHorizon", r.atRiskHorizon()),
                c.duration("posture.maxClockSkew", r.maxClockSkew()),
                c.integer("posture.degradedMinEvidence", r.degradedMinEvidence(), 1, 1_000_000),
                c.duration("alerts.minHold", r.minHold())));
        String node = c.string("node.name", ConfigSource.localHostName());
        PostureJobConfig config = new PostureJobConfig(
                c.string("streams.applicationId", "tlswatch-streams"),
                Path.of(c.string("streams.stateDir", Path.of(System.getProperty("java.io.tmpdir"),
                        "tlswatch-streams").toString())),
                c.string("admin.host", "0.0.0.0"),
                c.integer("admin.port", 9403, 0, 65_535),
                c.string("admin.advertisedHost", node),
                node,
                topics,
                c.positiveDuration("events.dedupWindow", Duration.ofHours(1)),
                c.duration("events.grace", Duration.ofMinutes(10)),
                c.positiveDuration("attribution.window", Duration.ofHours(1)),
                c.integer("attribution.maxClientsPerAddress", 64, 2, 10_000),
                new PendingBounds(c.integer("attribution.pendingPerAddress", 16, 1, 1_000),
                        c.integer("attribution.pendingMax", 10_000, 1, 1_000_000)),
                rules,
                c.positiveDuration("posture.evaluateEvery", Duration.ofMinutes(1)),
                c.positiveDuration("posture.clientRetention", Duration.ofDays(30)),
                c.integer("posture.maxObservations", 256, 8, 100_000),
                c.duration("posture.rowRefresh", Duration.ofMinutes(1)),
                c.integer("fingerprints.alertMinClients", 5, 1, 1_000_000),
                c.positiveDuration("fingerprints.retention", Duration.ofDays(30)),
                c.positiveDuration("licenses.sharingWindow", Duration.ofHours(1)),
                c.integer("licenses.sharingMinAddresses", 10, 2, 1_000_000),
                c.integer("licenses.sharingMinFingerprints", 4, 2, 1_000_000),
                c.positiveDuration("query.timeout", Duration.ofSeconds(5)),
                c.integer("query.maxLimit", 1000, 1, 100_000),
                c.integer("metrics.topStuckClients", 10, 0, 100),
                c.integer("metrics.topOutdatedFingerprints", 10, 0, 100),
                c.positiveDuration("metrics.refreshEvery", Duration.ofSeconds(15)),
                c.positiveDuration("startup.timeout", Duration.ofMinutes(2)),
                c.positiveDuration("shutdown.grace", Duration.ofSeconds(30)),
                kafka);
        if (config.dedupWindow.compareTo(config.grace) < 0) {
            throw new ConfigException("events.dedupWindow (" + config.dedupWindow + ") must be at least events.grace ("
                    + config.grace + "), or a late redelivery would count twice");
        }
        if (config.applicationId.isBlank()) {
            throw new ConfigException("streams.applicationId must not be empty");
        }
        return config;
    }

    /** The {@code host:port} other instances fetch this one's share of the state from. */
    public String applicationServer(int boundPort) {
        return advertisedHost + ":" + boundPort;
    }

    public String source() {
        return "streams@" + nodeName;
    }

    public PostureJobConfig withRules(PostureRulesConfig value) {
        return new PostureJobConfig(applicationId, stateDir, adminHost, adminPort, advertisedHost, nodeName, topics,
                dedupWindow, grace, attributionWindow, maxClientsPerAddress, pendingBounds, value, evaluateEvery, clientRetention,
                maxObservations, rowRefresh, fingerprintAlertMinClients, fingerprintRetention, sharingWindow,
                sharingMinAddresses, sharingMinFingerprints, queryTimeout,
                queryMaxLimit, topStuckClients, topOutdatedFingerprints, metricsRefresh, readyTimeout, shutdownTimeout, kafka);
    }

    private static <V> Topic<String, V> renamed(ConfigSource c, String key, Topic<String, V> topic) {
        String name = c.string(key, topic.name());
        if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new ConfigException(key + " must be a Kafka topic name, was '" + name + "'");
        }
        return name.equals(topic.name()) ? topic : topic.withName(name);
    }
}
