package io.tlswatch.launcher.demo;

import io.tlswatch.contract.kafka.TopicSettings;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration the demo hands each of its services: on loopback, admin ports picked by the system, on the
 * embedded broker, and under the demo's {@code topics.prefix} so that every service names its topics as the demo
 * created them.
 */
public final class DemoConfigs {

    /**
     * Posture settings short enough that a stuck client is flagged within seconds, not minutes. The long event
     * grace lets the reports of the installation whose clock is two hours behind count (their event time is the
     * client's), and the dedup window must cover it.
     */
    public static final Map<String, String> POSTURE_SETTINGS = Map.of(
            "alerts.minHold", "10s",
            "posture.evaluateEvery", "5s",
            "posture.rowRefresh", "10s",
            "events.grace", "3h",
            "events.dedupWindow", "3h",
            "attribution.window", "30m",
            "fingerprints.alertMinClients", "3",
            "metrics.refreshEvery", "5s");
    static final String STREAMS_APPLICATION_ID = "tlswatch-demo";

    private final String bootstrapServers;
    private final TopicSettings topics;
    private final Path certificateDir;

    DemoConfigs(String bootstrapServers, TopicSettings topics, Path certificateDir) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topics = Objects.requireNonNull(topics, "topics");
        this.certificateDir = Objects.requireNonNull(certificateDir, "certificateDir");
    }

    Map<String, String> validator(int httpsPort, URI publicUrl) {
        Map<String, String> v = common();
        v.put("server.host", "127.0.0.1");
        v.put("https.port", String.valueOf(httpsPort));
        v.put("server.publicUrl", publicUrl.toString());
        v.put("tls.devCertificateDir", certificateDir.toString());
        v.put("ocsp.enabled", "false");
        return v;
    }

    Map<String, String> collector() {
        Map<String, String> c = common();
        c.put("server.host", "127.0.0.1");
        c.put("http.port", "0");
        c.put("https.port", "0");
        c.put("tls.devCertificateDir", certificateDir.toString());
        return c;
    }

    Map<String, String> streams(Path stateDir) {
        Map<String, String> s = common();
        s.putAll(POSTURE_SETTINGS);
        // Kafka Streams names its internal topics after the application id, not topics.prefix (docs/streams.md).
        s.put("streams.applicationId", topics.prefix() + STREAMS_APPLICATION_ID);
        s.put("streams.stateDir", stateDir.toString());
        s.put("admin.advertisedHost", "127.0.0.1");
        return s;
    }

    /**
     * @param webhookKeyEnv the environment variable the notifier reads the webhook's HMAC key from
     * @param streamsUrl    the posture job's query API, for the cohort links of alerts
     */
    Map<String, String> notifier(URI webhook, String webhookKeyEnv, URI streamsUrl) {
        Map<String, String> n = common();
        n.put("targets", "demo");
        n.put("target.demo.kind", "webhook");
        n.put("target.demo.url", webhook.toString());
        n.put("target.demo.hmacKeyEnv", webhookKeyEnv);
        n.put("consumer.groupId", "tlswatch-demo-notifier");
        n.put("delivery.initialBackoff", "500ms");
        // A page held 5 minutes for a possible cohort would keep the first alert out of a short demo.
        n.put("alerts.cohort.window", "10s");
        n.put("alerts.cohort.queryBaseUrl", streamsUrl.toString());
        return n;
    }

    private Map<String, String> common() {
        Map<String, String> m = new HashMap<>();
        m.put("admin.host", "127.0.0.1");
        m.put("admin.port", "0");
        m.put("node.name", "demo");
        m.put("kafka.bootstrap.servers", bootstrapServers);
        if (!topics.prefix().isEmpty()) {
            m.put(TopicSettings.KEY_PREFIX, topics.prefix());
        }
        return m;
    }
}
