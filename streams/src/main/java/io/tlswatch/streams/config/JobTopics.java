package io.tlswatch.streams.config;

import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.FingerprintPosture;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.kafka.TopicSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;

import java.util.List;
import java.util.Objects;

/**
 * The topics the job reads and writes: the catalogue's, under the names configuration gives them (tests and
 * side-by-side deployments rename them; serdes and settings always come from the catalogue).
 */
public record JobTopics(Topic<String, HandshakeEvent> handshakes, Topic<String, LicenseCheckEvent> licenseChecks,
                        Topic<String, ClientReportEvent> clientReports, Topic<String, ClientPosture> clientPosture,
                        Topic<String, FingerprintPosture> fingerprintPosture, Topic<String, AlertEvent> alerts,
                        Topic<String, byte[]> deadLetters) {

    public static final JobTopics DEFAULTS = new JobTopics(Topics.HANDSHAKES, Topics.LICENSE_CHECKS,
            Topics.CLIENT_REPORTS, Topics.CLIENT_POSTURE, Topics.FINGERPRINT_POSTURE, Topics.ALERTS,
            Topics.STREAMS_DEAD_LETTERS);

    public JobTopics {
        Objects.requireNonNull(handshakes, "handshakes");
        Objects.requireNonNull(licenseChecks, "licenseChecks");
        Objects.requireNonNull(clientReports, "clientReports");
        Objects.requireNonNull(clientPosture, "clientPosture");
        Objects.requireNonNull(fingerprintPosture, "fingerprintPosture");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    /** These topics under their deployed names: {@code topics.prefix} in front of each. */
    public JobTopics named(TopicSettings settings) {
        return new JobTopics(settings.named(handshakes), settings.named(licenseChecks), settings.named(clientReports),
                settings.named(clientPosture), settings.named(fingerprintPosture), settings.named(alerts),
                settings.named(deadLetters));
    }

    /** The topics the job consumes. */
    public List<Topic<String, ?>> inputs() {
        return List.of(handshakes, licenseChecks, clientReports);
    }

    /** The topics the job produces to. */
    public List<Topic<String, ?>> outputs() {
        return List.of(clientPosture, fingerprintPosture, alerts, deadLetters);
    }

    /** The topics the job needs to exist before it starts. */
    public List<Topic<String, ?>> all() {
        return List.of(handshakes, licenseChecks, clientReports, clientPosture, fingerprintPosture, alerts,
                deadLetters);
    }
}
