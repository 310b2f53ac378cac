package io.tlswatch.validator.admin;

import io.tlswatch.contract.event.AdminTokenRecord;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.tlsserver.host.ServicePipeline;
import io.tlswatch.tlsserver.host.TlsServiceHost;
import io.tlswatch.validator.license.LicenseKeys;
import io.tlswatch.validator.license.LicenseRegistry;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Puts the admin API on a listener of its own on the validator's host: the same certificate, TLS profile, limits
 * and shutdown order as the license API, on {@code admin.api.port}.
 */
public final class AdminApiListener {

    /** The {@code listener} tag of the admin listener's meters. */
    public static final String LISTENER = "admin-api";

    private AdminApiListener() {
    }

    /**
     * What the admin API reads: the validator's license registry, and followers of the token, policy and machine
     * tables.
     */
    public record Tables(LicenseRegistry licenses, TableReads<AdminTokenRecord> tokens, PolicyDirectory policies,
                         MachineDirectory machines) {
    }

    /** Binds the listener; returns the port bound. */
    public static int start(AdminApiSettings settings, TlsServiceHost host, KafkaSettings kafka, Tables tables,
                            Clock clock) {
        KafkaAdminWrites writes = new KafkaAdminWrites(kafka, "validator-admin-api", settings.writeTimeout());
        host.closes("admin API producer", limit -> writes.close());
        LicenseDirectory licenses = LicenseDirectory.of(tables.licenses());
        SecureRandom random = new SecureRandom();
        String source = host.source();
        AdminMetrics metrics = new AdminMetrics(host.meters());
        AdminApi api = new AdminApi(
                new AdminAuthenticator(tables.tokens().get(), clock),
                new AdminRateLimiter(settings.requestsPerMinute(), System::nanoTime),
                metrics,
                new LicenseOperations(licenses, tables.policies(), writes, kafka.topics().named(Topics.LICENSES),
                        new LicenseKeys(random), clock, source, settings.writeTimeout()),
                new MachineOperations(licenses, tables.machines(), writes, kafka.topics().named(Topics.MACHINES),
                        clock, source),
                new PolicyOperations(tables.policies(), licenses, writes, kafka.topics().named(Topics.POLICIES),
                        random, clock, source, settings.writeTimeout()));
        // Admin handshakes are measured but not published: the handshake topic describes the clients of the
        // license API, whose posture the streams job judges; operators' tools are not among them.
        ServicePipeline pipeline = new ServicePipeline(host.listener(LISTENER),
                host.handshakes(LISTENER, new EventSink() {
                    @Override
                    public <V extends Event> boolean publish(Topic<String, V> topic, V event) {
                        return false;
                    }
                }));
        // Two threads: admin requests are few, and each mostly waits for Kafka.
        return host.bind(settings.port(), new AdminApiInitializer(pipeline, api, metrics,
                host.executor("tlswatch-admin-api", 2)));
    }
}
