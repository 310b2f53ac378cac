package io.tlswatch.launcher.outage;

import io.tlswatch.tlsserver.tls.DevCertificateFiles;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings the services of a test stack share, as DemoServices wires them in one JVM: loopback listeners on
 * free ports and the development certificates. Each stack adds its own (Kafka's topics, timeouts) to a copy.
 */
final class ServiceSettings {

    private ServiceSettings() {
    }

    static Map<String, String> validator(DevCertificateFiles certificates, String bootstrapServers, int eventBuffer) {
        return new HashMap<>(Map.of("server.host", "127.0.0.1", "https.port", "0",
                "admin.host", "127.0.0.1", "admin.port", "0", "server.publicUrl", OutageStack.VALIDATOR_PUBLIC_URL,
                "tls.devCertificateDir", certificates.directory().toString(),
                "events.bufferCapacity", String.valueOf(eventBuffer), "kafka.bootstrap.servers", bootstrapServers));
    }

    static Map<String, String> collector(DevCertificateFiles certificates, String bootstrapServers) {
        return new HashMap<>(Map.of("server.host", "127.0.0.1", "http.port", "0",
                "https.port", "0", "tls.devCertificateDir", certificates.directory().toString(),
                "admin.host", "127.0.0.1", "admin.port", "0", "kafka.bootstrap.servers", bootstrapServers));
    }

    /** One stream thread committing every 100 ms: rows follow the load closely on a two-core machine. */
    static Map<String, String> postureJob(String bootstrapServers, String applicationId, Path stateDir) {
        return new HashMap<>(Map.of("kafka.bootstrap.servers", bootstrapServers,
                "streams.applicationId", applicationId,
                "streams.stateDir", stateDir.toString(),
                "admin.host", "127.0.0.1", "admin.port", "0", "admin.advertisedHost", "127.0.0.1",
                "kafka.commit.interval.ms", "100", "kafka.num.stream.threads", "1"));
    }
}
