package io.tlswatch.dashboards;

import com.sun.net.httpserver.HttpServer;
import io.tlswatch.client.LicenseClient;
import io.tlswatch.client.LicenseStatus;
import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The four services in this JVM on the test broker, with their development certificates, and a local webhook the
 * notifier delivers to: the stack of docker-compose.yml without Docker. Ports are free ones, never the defaults.
 */
final class LiveStack implements AutoCloseable {

    static final String HMAC_ENV = "LIVE_STACK_HMAC_KEY";

    final DevCertificateFiles certificates;
    final Validator validator;
    final Collector collector;
    final PostureJob streams;
    final Notifier notifier;
    final HttpServer webhook;
    final List<String> webhookBodies = new CopyOnWriteArrayList<>();
    final int validatorPort;
    private final List<AutoCloseable> opened = new ArrayList<>();

    LiveStack(KafkaBroker broker, Path dir) throws Exception {
        try (Admin admin = broker.admin()) {
            new TopicBootstrap(admin, Duration.ofSeconds(60), 2).ensure(Topics.ALL);
        }
        certificates = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(), Clock.systemUTC()).ensure();
        validatorPort = FreePorts.next();
        try {
            validator = open(Validator.start(ValidatorConfig.from(ConfigSource.of(Map.of(
                    "https.port", String.valueOf(validatorPort), "server.host", "127.0.0.1",
                    "admin.port", "0", "admin.host", "127.0.0.1",
                    "server.publicUrl", "https://localhost:" + validatorPort,
                    "tls.devCertificateDir", certificates.directory().toString(),
                    "kafka.bootstrap.servers", broker.bootstrapServers()))), Clock.systemUTC()));
            collector = open(Collector.start(CollectorConfig.from(ConfigSource.of(Map.of(
                    "http.port", "0", "https.port", "0", "admin.port", "0",
                    "server.host", "127.0.0.1", "admin.host", "127.0.0.1",
                    "tls.devCertificateDir", certificates.directory().toString(),
                    "kafka.bootstrap.servers", broker.bootstrapServers()))), Clock.systemUTC()));
            Map<String, String> job = new HashMap<>(Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "streams.applicationId", "tlswatch-posture-" + UUID.randomUUID(),
                    "streams.stateDir", dir.resolve("streams").toString(),
                    "admin.host", "127.0.0.1", "admin.port", "0", "admin.advertisedHost", "127.0.0.1",
                    "alerts.minHold", "0s", "posture.rowRefresh", "0s", "kafka.commit.interval.ms", "100"));
            job.put("kafka.num.stream.threads", "1");
            job.put("metrics.refreshEvery", "500ms");
            job.put("kafka.replication.factor", "1");
            streams = open(PostureJob.start(PostureJobConfig.from(ConfigSource.of(job))));
            webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            webhook.createContext("/hooks/tlswatch", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    webhookBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            webhook.start();
            opened.add(() -> webhook.stop(0));
            // The dashboards are the subject here, not the paging: as the posture job's hold is cut above, the
            // notifier's cohort window (a single client's page waits that long for others of its cause) is too.
            notifier = open(Notifier.start(NotifierConfig.from(ConfigSource.of(Map.of(
                    "kafka.bootstrap.servers", broker.bootstrapServers(),
                    "admin.host", "127.0.0.1", "admin.port", "0", "node.name", "live",
                    "consumer.groupId", KafkaBroker.uniqueGroupId("notifier-live"),
                    "targets", "hook",
                    "target.hook.kind", "webhook",
                    "target.hook.url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hooks/tlswatch",
                    "target.hook.hmacKeyEnv", HMAC_ENV,
                    "alerts.cohort.window", "1s"))),
                    NotifierTopics.defaults(), Map.of(HMAC_ENV, "live-stack-hmac-key-0123456789")::get, Clock.systemUTC()));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    /** Admin ports by the job names of prometheus.yml. */
    Map<String, Integer> adminPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("tlswatch-validator", validator.adminPort());
        ports.put("tlswatch-collector", collector.adminPort());
        ports.put("tlswatch-streams", streams.port());
        ports.put("tlswatch-notifier", notifier.adminPort());
        return ports;
    }

    SSLContext trustingDevCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificates.caCertificate())) {
            trust.setCertificateEntry("dev-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** Issues a license through the registry topic, as {@code tlswatch licenses issue} does. */
    String issueLicense(KafkaBroker broker) {
        try (LicenseAdmin admin = new LicenseAdmin(broker.settings(), Topics.LICENSES, Clock.systemUTC(), "live-stack")) {
            IssuedLicense issued = admin.issue("Acme", "standard", List.of("reporting"), 5,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(30)), Duration.ofHours(24));
            return issued.licenseKey() + "\n" + issued.license().licenseId();
        }
    }

    /** A license check by the client SDK (DPoP-bound), from a fresh installation. */
    LicenseStatus check(String licenseKey, Path state) {
        try (LicenseClient client = LicenseClient.builder()
                .serverUrl(URI.create("https://localhost:" + validatorPort))
                .licenseKey(licenseKey)
                .stateDirectory(state)
                .trustedCas(certificates.caCertificate())
                .collector(URI.create("https://localhost:" + collector.httpsPort()),
                        URI.create("http://127.0.0.1:" + collector.httpPort()))
                .build()) {
            return client.validate();
        }
    }

    static HttpResponse<String> post(URI uri, String contentType, String body) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String get(URI uri) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** A record the streams job cannot read, on its handshake input: it goes to the dead-letter topic. */
    static void unreadableHandshake(KafkaBroker broker) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.settings().producer("live-stack"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.HANDSHAKES.name(), "198.51.100.7",
                    "{\"type\": \"tlswatch.handshake/1\", \"id\": ".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    /** The collector's native report of a Java 7 client that failed to reach the license server. */
    static String report(String clientId) {
        Instant at = Instant.now().minusSeconds(5);
        return """
                {"reportId": "%s", "clientId": "%s", "occurredAt": "%s",
                 "endpoint": "https://licenses.example.com/v1/licenses/validate",
                 "errorClass": "tls.version_or_cipher_mismatch",
                 "message": "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version",
                 "runtime": {"name": "Java(TM) SE Runtime Environment", "version": "1.7.0_80-b15", "vendor": "Oracle Corporation"},
                 "tls": {"library": "SunJSSE", "version": "1.7", "enabledProtocols": ["TLSv1"],
                         "enabledCipherSuites": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]},
                 "os": "Windows Server 2008 R2 6.1 amd64", "appVersion": "4.12.3", "clientTime": "%s"}"""
                .formatted(UUID.randomUUID(), clientId, at, at);
    }

    /** A JDK client's handshake, then a clean close; returns the client's failure, or null when it succeeded. */
    static Exception handshake(int port, SSLContext context, String... protocols) {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(protocols);
            socket.startHandshake();
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    @Override
    public void close() {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }
}
