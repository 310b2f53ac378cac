package io.tlswatch.launcher.fleet;

import io.tlswatch.collector.Collector;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.HandshakeOutcome;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import io.tlswatch.tlsserver.tls.TestPki;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.Validator;
import io.tlswatch.validator.ValidatorConfig;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A small fleet against the real validator and collector on a real broker: each installation's handshakes come
 * from its own address (or the shared NAT address), each stack fails the way it should, its reports say why,
 * the licenses answer as issued, and an installation that upgrades gets through afterwards.
 */
@ExtendWith(KafkaBrokerExtension.class)
class FleetIT {

    private static final Duration NO_CHANGE = Duration.ofDays(1);

    @Test
    void eachInstallationConnectsFromItsOwnAddressAndFailsAsItsStackShould(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        // given the real validator and collector, with a certificate chain of their own
        Clock clock = Clock.systemUTC();
        DevCertificateFiles chain = new DevCertificates(dir.resolve("certs"), DevCertificates.localHostNames(), clock).ensure();
        Path oldCa = new DevCertificates(dir.resolve("old"), DevCertificates.localHostNames(), clock).ensure().caCertificate();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        URI url = URI.create("https://127.0.0.1:" + port);
        Map<String, String> common = Map.of("admin.host", "127.0.0.1", "admin.port", "0",
                "tls.devCertificateDir", dir.resolve("certs").toString(), "kafka.bootstrap.servers", broker.bootstrapServers());
        Map<String, String> v = new HashMap<>(common);
        v.putAll(Map.of("server.host", "127.0.0.1", "https.port", String.valueOf(port), "server.publicUrl", url.toString(),
                "ocsp.enabled", "false"));
        Map<String, String> c = new HashMap<>(common);
        c.putAll(Map.of("server.host", "127.0.0.1", "http.port", "0", "https.port", "0"));
        try (Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(v)), clock);
             Collector collector = Collector.start(CollectorConfig.from(ConfigSource.of(c)), clock)) {

            // and a fleet: one of each failing stack, two behind one NAT address, an expired license, one upgrade
            List<PlannedClient> plan = List.of(
                    client("it-modern", Stack.MODERN, "127.1.9.1", LicenseKind.GOOD, Optional.empty()),
                    client("it-nat-a", Stack.MODERN, FleetPlan.NAT_ADDRESS, LicenseKind.GOOD, Optional.empty()),
                    client("it-nat-b", Stack.TLS12_ONLY, FleetPlan.NAT_ADDRESS, LicenseKind.GOOD, Optional.empty()),
                    client("it-cbc", Stack.TLS12_CBC, "127.1.9.4", LicenseKind.GOOD, Optional.empty()),
                    client("it-old-trust", Stack.OLD_TRUST_STORE, "127.1.9.5", LicenseKind.GOOD, Optional.empty()),
                    client("it-clock", Stack.CLOCK_OFF, "127.1.9.6", LicenseKind.GOOD, Optional.empty()),
                    client("it-expired", Stack.MODERN, "127.1.9.7", LicenseKind.EXPIRED, Optional.empty()),
                    client("it-upgrade", Stack.TLS12_CBC, "127.1.9.8", LicenseKind.GOOD,
                            Optional.of(new StackChange(Duration.ofSeconds(4), Stack.MODERN))));
            Map<String, String> keys = new HashMap<>();
            try (LicenseAdmin admin = new LicenseAdmin(broker.settings(), Topics.LICENSES, clock, "fleet-it")) {
                Map<String, IssuedLicense> issued = FleetLicenses.issue(admin, plan, clock);
                issued.forEach((name, license) -> keys.put(name, license.licenseKey()));
                await().atMost(Duration.ofSeconds(30)).until(() -> issued.values().stream()
                        .allMatch(l -> validator.registry().byLicenseId(l.license().licenseId()).isPresent()));
            }
            FleetTargets targets = new FleetTargets(url, URI.create("https://127.0.0.1:" + collector.httpsPort()),
                    URI.create("http://127.0.0.1:" + collector.httpPort()), chain.caCertificate(), oldCa,
                    dir.resolve("installations"), true);

            // when it runs
            try (Fleet fleet = Fleet.start(plan, keys, targets, Duration.ofSeconds(1))) {
                Map<String, String> ids = fleet.members().stream()
                        .collect(Collectors.toMap(m -> m.plan().name(), FleetMember::clientId));

                // then the license checks answer as the licenses and stacks say, and the upgrade gets through
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Map<String, FleetMember> members = fleet.members().stream()
                            .collect(Collectors.toMap(m -> m.plan().name(), m -> m));
                    assertThat(members.get("it-modern").licenseState()).isEqualTo("VALID");
                    assertThat(members.get("it-nat-a").licenseState()).isEqualTo("VALID");
                    assertThat(members.get("it-nat-b").licenseState()).isEqualTo("VALID");
                    assertThat(members.get("it-expired").licenseState()).isEqualTo("INVALID");
                    assertThat(members.get("it-cbc").licenseState()).isEqualTo("UNVERIFIED");
                    assertThat(members.get("it-upgrade").stack()).isEqualTo(Stack.MODERN);
                    assertThat(members.get("it-upgrade").licenseState()).isEqualTo("VALID");
                });

                // and the validator saw each installation at its own address, the NAT ones at the shared one
                List<HandshakeEvent> handshakes = read(broker, Topics.HANDSHAKES,
                        h -> h.localPort() == port && h.remoteAddress().startsWith("127."),
                        all -> all.stream().anyMatch(h -> h.remoteAddress().equals("127.1.9.8")
                                && h.outcome() == HandshakeOutcome.SUCCESS)
                                && all.stream().map(HandshakeEvent::remoteAddress).collect(Collectors.toSet())
                                .containsAll(Set.of("127.1.9.1", FleetPlan.NAT_ADDRESS, "127.1.9.4", "127.1.9.5")));
                Map<String, List<HandshakeEvent>> byAddress = handshakes.stream()
                        .collect(Collectors.groupingBy(HandshakeEvent::remoteAddress));
                assertThat(byAddress.get("127.1.9.1")).isNotEmpty().allMatch(h -> h.outcome() == HandshakeOutcome.SUCCESS
                        && "TLSv1.3".equals(h.negotiated().protocol()));
                assertThat(byAddress.get(FleetPlan.NAT_ADDRESS)).extracting(h -> h.negotiated().protocol())
                        .contains("TLSv1.3", "TLSv1.2");
                assertThat(byAddress.get("127.1.9.4")).isNotEmpty().allMatch(h -> h.outcome() == HandshakeOutcome.FAILURE
                        && h.failureReason() == FailureReason.NO_SHARED_CIPHER);
                assertThat(byAddress.get("127.1.9.5")).isNotEmpty().allMatch(h -> h.outcome() == HandshakeOutcome.FAILURE);
                assertThat(byAddress.get("127.1.9.8")).extracting(HandshakeEvent::outcome)
                        .contains(HandshakeOutcome.FAILURE, HandshakeOutcome.SUCCESS);

                // and each failing stack reported why, signed by its installation
                Set<String> failing = Set.of(ids.get("it-cbc"), ids.get("it-old-trust"), ids.get("it-clock"));
                List<ClientReportEvent> reports = read(broker, Topics.CLIENT_REPORTS,
                        r -> failing.contains(r.clientId()),
                        all -> all.stream().map(ClientReportEvent::clientId).collect(Collectors.toSet()).containsAll(failing));
                Map<String, ClientReportEvent> byClient = new HashMap<>();
                reports.forEach(r -> byClient.putIfAbsent(r.clientId(), r));
                assertThat(byClient).containsOnlyKeys(failing);
                assertThat(byClient.get(ids.get("it-cbc")).errorClass()).isEqualTo("tls.version_or_cipher_mismatch");
                assertThat(byClient.get(ids.get("it-old-trust")).errorClass()).isEqualTo("tls.cert.authority_invalid");
                ClientReportEvent clock2h = byClient.get(ids.get("it-clock"));
                assertThat(clock2h.errorClass()).isEqualTo("tls.cert.date_invalid");
                assertThat(Duration.between(clock2h.clientTime(), clock2h.receivedAt()))
                        .isBetween(Duration.ofMinutes(119), Duration.ofMinutes(121));
                assertThat(reports).allMatch(ClientReportEvent::authenticated);
            }
        }
    }

    @Test
    void installationsVerifyTheServersHostNameAgainstTheirCaWithoutBoundAddresses(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        // given a validator whose certificate (from a CA of its own) names localhost and no address
        Clock clock = Clock.systemUTC();
        TestPki.Issued ca = TestPki.ca("fleet-it CA");
        Path caFile = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(ca.certificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        Path certificate = TestPki.server(ca, TestPki.ec()).write(dir, "server");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        URI byName = URI.create("https://localhost:" + port);
        Map<String, String> v = new HashMap<>(Map.of("server.host", "127.0.0.1", "https.port", String.valueOf(port),
                "server.publicUrl", byName.toString(), "admin.host", "127.0.0.1", "admin.port", "0",
                "tls.certificate", certificate.toString(), "tls.privateKey", dir.resolve("server-key.pem").toString(),
                "tls.trustAnchors", caFile.toString(), "ocsp.enabled", "false"));
        v.put("kafka.bootstrap.servers", broker.bootstrapServers());
        Map<String, String> c = Map.of("server.host", "127.0.0.1", "http.port", "0", "https.port", "0",
                "admin.host", "127.0.0.1", "admin.port", "0", "tls.devCertificateDir", dir.resolve("certs").toString(),
                "kafka.bootstrap.servers", broker.bootstrapServers());
        try (Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(v)), clock);
             Collector collector = Collector.start(CollectorConfig.from(ConfigSource.of(c)), clock)) {
            List<PlannedClient> plan = List.of(client("it-by-name", Stack.MODERN, "127.1.9.1", LicenseKind.GOOD, Optional.empty()));
            Map<String, String> keys = new HashMap<>();
            try (LicenseAdmin admin = new LicenseAdmin(broker.settings(), Topics.LICENSES, clock, "fleet-it")) {
                Map<String, IssuedLicense> issued = FleetLicenses.issue(admin, plan, clock);
                issued.forEach((name, license) -> keys.put(name, license.licenseKey()));
                await().atMost(Duration.ofSeconds(30)).until(() -> issued.values().stream()
                        .allMatch(l -> validator.registry().byLicenseId(l.license().licenseId()).isPresent()));
            }
            Path collectorCa = dir.resolve("certs").resolve("ca.pem");

            // when one fleet, not binding addresses, reaches it by the name in its certificate and another by address
            FleetTargets named = new FleetTargets(byName, URI.create("https://localhost:" + collector.httpsPort()),
                    URI.create("http://localhost:" + collector.httpPort()), caFile, collectorCa, dir.resolve("a"), false);
            FleetTargets unnamed = new FleetTargets(URI.create("https://127.0.0.1:" + port),
                    URI.create("https://localhost:" + collector.httpsPort()), URI.create("http://localhost:" + collector.httpPort()),
                    caFile, collectorCa, dir.resolve("b"), false);
            try (Fleet good = Fleet.start(plan, keys, named, Duration.ofSeconds(1));
                 Fleet wrongName = Fleet.start(plan, keys, unnamed, Duration.ofSeconds(1))) {
                String wrongId = wrongName.members().get(0).clientId();

                // then the first gets VALID answers, the second refuses the certificate (no trust-all anywhere)
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    assertThat(good.members().get(0).licenseState()).isEqualTo("VALID");
                    assertThat(wrongName.members().get(0).checks()).isPositive();
                    assertThat(wrongName.members().get(0).licenseState()).isEqualTo("UNVERIFIED");
                });
                // and says why in its report
                List<ClientReportEvent> reports = read(broker, Topics.CLIENT_REPORTS, r -> wrongId.equals(r.clientId()),
                        found -> !found.isEmpty());
                assertThat(reports).extracting(ClientReportEvent::errorClass).containsOnly("tls.cert.name_invalid");
            }
        }
    }

    private static PlannedClient client(String name, Stack stack, String address, LicenseKind license,
                                        Optional<StackChange> change) {
        return new PlannedClient(name, stack, change, license, FleetPlan.GRACE, address,
                address.equals(FleetPlan.NAT_ADDRESS), Duration.ZERO);
    }

    private static <V> List<V> read(KafkaBroker broker, Topic<String, V> topic, Predicate<V> match,
                                    Predicate<List<V>> done) {
        return broker.readUntil(topic, match, done, Duration.ofSeconds(30));
    }
}
