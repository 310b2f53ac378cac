package io.tlswatch.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code tlswatch fleet} as docker-compose.yml runs it, the packaged jar in its own JVM, without per-client
 * source addresses, against a real validator and collector (configured with compose's certificate names) on the
 * test broker: it issues its licenses, the clients on a modern stack get {@code VALID} answers over host name
 * verified TLS, the old-TLS clients' failed handshakes reach the handshake topic and their reports the collector,
 * every client connects from the one shared address, and SIGTERM stops it cleanly.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FleetCommandIT {

    private Process fleet;

    @AfterEach
    void stop() {
        if (fleet != null && fleet.isAlive()) {
            fleet.destroyForcibly();
        }
    }

    @Test
    void fleetWithoutOwnAddressesChecksLicensesAndItsOldClientsFailuresReachTheTopics(KafkaBroker broker,
                                                                                       @TempDir Path dir) throws Exception {
        // given a validator and a collector sharing a development CA named as in docker-compose.yml
        Clock clock = Clock.systemUTC();
        int port = FreePorts.next();
        URI validatorUrl = URI.create("https://localhost:" + port);
        Map<String, String> common = Map.of("admin.host", "127.0.0.1", "admin.port", "0",
                "tls.devCertificateDir", dir.resolve("certs").toString(), "tls.devCertificateNames", "validator,collector",
                "kafka.bootstrap.servers", broker.bootstrapServers());
        Map<String, String> v = new HashMap<>(common);
        v.putAll(Map.of("server.host", "127.0.0.1", "https.port", String.valueOf(port),
                "server.publicUrl", validatorUrl.toString(), "ocsp.enabled", "false"));
        Map<String, String> c = new HashMap<>(common);
        c.putAll(Map.of("server.host", "127.0.0.1", "http.port", "0", "https.port", "0"));
        try (Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(v)), clock);
             Collector collector = Collector.start(CollectorConfig.from(ConfigSource.of(c)), clock)) {

            // when the fleet command runs against them by name, trusting their CA, not binding addresses
            Path work = dir.resolve("work");
            // (its output under target/, to read after a failure)
            Path output = Path.of(System.getProperty("basedir", "."), "target", "fleet-command-it.txt");
            Files.deleteIfExists(output);
            int admin = FreePorts.next();
            fleet = launch(output, List.of("fleet", "--validator", validatorUrl.toString(),
                    "--collector-https", "https://localhost:" + collector.httpsPort(),
                    "--collector-http", "http://localhost:" + collector.httpPort(),
                    "--ca", dir.resolve("certs").resolve("ca.pem").toString(), "--bootstrap-servers", broker.bootstrapServers(),
                    "--no-bind-addresses", "--clients", "12", "--seed", "5", "--churn", "0", "--check-every", "1s",
                    "--admin-host", "127.0.0.1", "--admin-port", String.valueOf(admin), "--work-dir", work.toString()));
            await().atMost(Duration.ofSeconds(60)).until(() -> read(output).contains("Fleet of 12 clients") || !fleet.isAlive());
            assertThat(read(output)).contains("from one shared address");

            // then it becomes ready once its checks complete
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).until(() -> ready(http, admin));

            Map<String, List<String>> byStack = new HashMap<>();
            Set<String> goodModern = new HashSet<>();
            for (JsonNode client : Json.mapper().readTree(work.resolve("fleet.json").toFile()).path("clients")) {
                String id = client.path("clientId").asText();
                String stack = client.path("initialStack").asText();
                byStack.computeIfAbsent(stack, s -> new ArrayList<>()).add(id);
                if (Set.of("MODERN", "TLS12_ONLY").contains(stack) && "GOOD".equals(client.path("license").asText())) {
                    goodModern.add(id);
                }
            }
            assertThat(goodModern).isNotEmpty();
            assertThat(byStack).containsKeys("LEGACY_TLS10", "TLS12_CBC");
            Set<String> all = byStack.values().stream().flatMap(List::stream).collect(Collectors.toSet());

            // and every modern client with a good license gets VALID answers
            List<LicenseCheckEvent> checks = read(broker, Topics.LICENSE_CHECKS, e -> all.contains(e.clientId()),
                    found -> found.stream().filter(e -> e.code() == LicenseCheckCode.VALID)
                            .map(LicenseCheckEvent::clientId).collect(Collectors.toSet()).containsAll(goodModern));
            assertThat(checks).extracting(LicenseCheckEvent::remoteAddress).containsOnly("127.0.0.1");

            // and the old-TLS clients' handshakes fail at the validator, all from the one shared address
            List<HandshakeEvent> failures = read(broker, Topics.HANDSHAKES,
                    h -> h.localPort() == port && h.outcome() == HandshakeOutcome.FAILURE,
                    found -> found.stream().map(HandshakeEvent::failureReason).collect(Collectors.toSet())
                            .containsAll(Set.of(FailureReason.PROTOCOL_VERSION, FailureReason.NO_SHARED_CIPHER)));
            assertThat(failures).extracting(HandshakeEvent::remoteAddress).containsOnly("127.0.0.1");

            // and their reports reach the collector, naming the mismatch
            Set<String> old = new HashSet<>(byStack.get("LEGACY_TLS10"));
            old.addAll(byStack.get("TLS12_CBC"));
            List<ClientReportEvent> reports = read(broker, Topics.CLIENT_REPORTS, r -> old.contains(r.clientId()),
                    found -> found.stream().map(ClientReportEvent::clientId).collect(Collectors.toSet()).containsAll(old));
            assertThat(reports).extracting(ClientReportEvent::errorClass).contains("tls.version_or_cipher_mismatch");

            // and SIGTERM stops it cleanly, within the bound
            fleet.destroy();
            assertThat(fleet.waitFor(40, TimeUnit.SECONDS)).isTrue();
            assertThat(read(output)).contains("Fleet stopped.");
        }
    }

    private static boolean ready(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static <V> List<V> read(KafkaBroker broker, Topic<String, V> topic, Predicate<V> match,
                                    Predicate<List<V>> done) {
        return broker.readUntil(topic, match, done, Duration.ofSeconds(45));
    }

    private static Process launch(Path output, List<String> args) throws IOException {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "tlswatch.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
