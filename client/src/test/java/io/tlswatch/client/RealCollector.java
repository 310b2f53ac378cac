package io.tlswatch.client;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The real collector, in-process, on ports chosen up front (so a client can be pointed at it before it runs),
 * and the reports it wrote, read from the topic as a consumer would.
 */
final class RealCollector implements AutoCloseable {

    private final KafkaBroker broker;
    private final Path certificateDirectory;
    private final DevCertificateFiles certificates;
    private final int httpPort;
    private final int httpsPort;
    private Collector collector;

    RealCollector(KafkaBroker broker, Path certificateDirectory) throws IOException {
        this.broker = broker;
        this.certificateDirectory = certificateDirectory;
        this.certificates = new DevCertificates(certificateDirectory, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        this.httpPort = FreePorts.next();
        this.httpsPort = FreePorts.next();
    }

    RealCollector start() {
        Map<String, String> values = new HashMap<>();
        values.put("http.port", String.valueOf(httpPort));
        values.put("https.port", String.valueOf(httpsPort));
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("tls.devCertificateDir", certificateDirectory.toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        collector = Collector.start(CollectorConfig.from(ConfigSource.of(values)), Clock.systemUTC());
        return this;
    }

    URI https() {
        return URI.create("https://localhost:" + httpsPort);
    }

    URI http() {
        return URI.create("http://localhost:" + httpPort);
    }

    Path caCertificate() {
        return certificates.caCertificate();
    }

    /** The largest number of native reports the collector accepted in one request. */
    double largestBatch() {
        return collector.meters().get("tlswatch.collector.batch.size").tag("format", "native").summary().max();
    }

    /** Waits until at least {@code count} reports match, then returns every match written so far. */
    List<ClientReportEvent> reports(Predicate<ClientReportEvent> match, int count) {
        KafkaSettings kafka = broker.settings();
        List<ClientReportEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                kafka.consumer("client-it-" + UUID.randomUUID()), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.CLIENT_REPORTS.name()));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    ClientReportEvent event = Topics.CLIENT_REPORTS.valueSerde().deserializer()
                            .deserialize(r.topic(), r.value());
                    if (match.test(event)) {
                        found.add(event);
                    }
                });
                return found.size() >= count;
            });
            // A duplicate written behind them would be read too.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                ClientReportEvent event = Topics.CLIENT_REPORTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
                if (match.test(event)) {
                    found.add(event);
                }
            });
        }
        return found;
    }

    @Override
    public void close() {
        if (collector != null) {
            collector.close();
        }
    }
}
