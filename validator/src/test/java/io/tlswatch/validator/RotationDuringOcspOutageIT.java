package io.tlswatch.validator;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.micrometer.core.instrument.Counter;
import io.netty.handler.ssl.OpenSsl;
import io.tlswatch.tlsserver.certificate.CertificateManager;
import io.tlswatch.tlsserver.certificate.RotationPki;
import io.tlswatch.tlsserver.certificate.TestOcspResponder;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.tls.TlsClients;
import io.tlswatch.tlsserver.tls.TlsSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.StatusRequestingClients.Connection;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10's fault "a certificate rotated and an OCSP responder lost under load": the validator's certificate is
 * replaced while its OCSP responder is stopped (connections refused), the responder comes back, and the
 * certificate is replaced once more, while JDK clients and {@code openssl s_client -status} open new connections
 * back to back, each asking for the staple and making a real license check. Every connection is kept and
 * checked: none fails, none is served an older certificate after a rotation, and no staple ever names another
 * certificate than the one served with it.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RotationDuringOcspOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(RotationDuringOcspOutageIT.class);

    private static final int JDK_CLIENTS = 3;
    private static final int OPENSSL_CLIENTS = 2;
    /** Connections each client makes in a phase before the next step: enough to see what that phase serves. */
    private static final int PER_PHASE = 3;
    /** The responder's responses live this long, so the manager refreshes (half of it) during the run. */
    private static final Duration RESPONSE_LIFETIME = Duration.ofSeconds(10);
    private static final Duration OCSP_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY_MIN = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(1);
    /**
     * How soon after the responder is back a good response must be stapled: the longest retry delay, one fetch,
     * and slack for a 2-core machine shared with other builds.
     */
    private static final Duration REFRESH_BOUND = RETRY_MAX.plus(OCSP_TIMEOUT).plusSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PUBLIC_URL = "https://localhost:8443";

    @ParameterizedTest(name = "{0} provider")
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void givenLoopingClients_whenTheCertificateIsRotatedWhileTheOcspResponderIsDownAndAgainOnceItIsBack_thenNoHandshakeFailsAndNoStapleNamesAnotherCertificate(
            TlsSettings.ProviderPreference provider, KafkaBroker broker, @TempDir Path dir) throws Exception {
        assumeThat(TlsClients.opensslPresent()).as("openssl is installed").isTrue();
        if (provider == TlsSettings.ProviderPreference.OPENSSL) {
            assumeThat(OpenSsl.isAvailable()).as("BoringSSL loads: %s", OpenSsl.unavailabilityCause()).isTrue();
        }
        boolean stapling = provider == TlsSettings.ProviderPreference.OPENSSL;

        // given a validator serving a certificate whose OCSP response is good, and stapled where it can be
        RotationPki ca = RotationPki.create("Outage IT CA");
        try (TestOcspResponder responder = TestOcspResponder.start(ca)) {
            responder.lifetime(RESPONSE_LIFETIME);
            RotationPki pki = ca.withOcspUrl(responder.url());
            Path chain = dir.resolve("tls.crt");
            Path key = dir.resolve("tls.key");
            Path caFile = dir.resolve("ca.pem");
            pki.writeCa(caFile);
            RotationPki.Leaf first = issueGood(pki, responder);
            first.writeTo(chain, key);
            try (Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(
                    config(broker, provider, chain, key, caFile))), Clock.systemUTC())) {
                CertificateManager manager = validator.certificates();
                assertThat(validator.tls().provider())
                        .isEqualTo(stapling ? TlsProvider.OPENSSL : TlsProvider.JDK);
                assertThat(manager.staples()).isEqualTo(stapling);
                // (start-up waits for the first response only up to ocsp.timeout)
                await("the first certificate's response").atMost(WAIT)
                        .until(() -> fetches(validator, "good") >= 1 && manager.currentStaple().isPresent() == stapling);
                String licenseKey = issueLicense(broker, validator);
                StatusRequestingClients clients = new StatusRequestingClients(validator.port(),
                        PUBLIC_URL + "/v1/licenses/validate", ca.ca, caFile);

                // and clients opening new connections all the time
                try (Load load = new Load(clients, licenseKey, dir)) {
                    await("connections with the responder up").atMost(WAIT)
                            .until(() -> load.eachClientMade(PER_PHASE, c -> true));
                    double errorsBefore = fetches(validator, "error");

                    // when the OCSP responder stops (the next refresh of the first certificate fails)
                    load.phase("responder down");
                    long stoppedAt = System.nanoTime();
                    responder.stop();
                    await("a failed refresh").atMost(WAIT).until(() -> fetches(validator, "error") > errorsBefore);
                    // (the first certificate's last good response is held: what a careless rotation would reuse)
                    if (stapling) {
                        assertThat(manager.currentStaple()).as("the staple held for the first certificate")
                                .isPresent();
                    }

                    // and the certificate is rotated while it is down
                    RotationPki.Leaf second = issueGood(pki, responder);
                    second.writeTo(chain, key);
                    long secondServedAt = awaitServed(manager, second);
                    load.phase("down, rotated");
                    await("connections after the rotation, the responder down").atMost(WAIT)
                            .until(() -> load.eachClientMade(PER_PHASE, c -> c.startedNanos() > secondServedAt));

                    // and the responder comes back
                    load.phase("responder back");
                    double goodBefore = fetches(validator, "good");
                    long backAt = System.nanoTime();
                    responder.restart();
                    await("a good response for the second certificate once the responder is back")
                            .atMost(REFRESH_BOUND).until(() -> fetches(validator, "good") > goodBefore
                            && (!stapling || manager.currentStaple().isPresent()));
                    long secondStapledAt = System.nanoTime();
                    long stapledAfterMillis = TimeUnit.NANOSECONDS.toMillis(secondStapledAt - backAt);
                    if (stapling) {
                        assertThat(clients.parse(manager.currentStaple().orElseThrow()).serial())
                                .isEqualTo(second.certificate().getSerialNumber());
                        await("a JDK and an openssl connection stapled after the responder is back").atMost(WAIT)
                                .until(() -> load.eachKindMade(c -> c.startedNanos() > backAt && c.staple() != null));
                    }

                    // and the certificate is rotated once more, with the responder up
                    RotationPki.Leaf third = issueGood(pki, responder);
                    third.writeTo(chain, key);
                    long thirdServedAt = awaitServed(manager, third);
                    load.phase("rotated again");
                    await("connections after the rotation, the responder up").atMost(WAIT)
                            .until(() -> load.eachClientMade(PER_PHASE, c -> c.startedNanos() > thirdServedAt));
                    load.close();
                    List<Connection> all = load.connections();
                    LOG.info("{} provider: {} connections by phase {}; a good response for the second certificate "
                                    + "{} ms after the responder came back ({}); {} OCSP fetches failed", provider,
                            all.size(), load.summary(), stapledAfterMillis, stapling ? "stapled" : "not stapled",
                            (long) fetches(validator, "error"));

                    // then no handshake failed, and every license check was answered
                    assertThat(all).filteredOn(Connection::handshakeFailed).as("failed handshakes, with their cause")
                            .isEmpty();
                    assertThat(all).filteredOn(Connection::failed).as("failed license checks, with their cause")
                            .isEmpty();
                    // and the server counted each of them as a successful handshake, and no failure
                    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handshakes(validator,
                            "success")).isEqualTo(all.size()));
                    assertThat(validator.meters().find("tlswatch.handshakes").tag("outcome", "failure").counters())
                            .as("handshake failures the validator counted").allMatch(c -> c.count() == 0);

                    BigInteger serial1 = first.certificate().getSerialNumber();
                    BigInteger serial2 = second.certificate().getSerialNumber();
                    BigInteger serial3 = third.certificate().getSerialNumber();
                    // and connections after each rotation see the new serial
                    assertThat(all).filteredOn(c -> c.startedNanos() > secondServedAt)
                            .as("connections after the rotation during the outage").isNotEmpty()
                            .allSatisfy(c -> assertThat(c.served()).as(c.toString()).isNotEqualTo(serial1));
                    assertThat(all).filteredOn(c -> c.startedNanos() > thirdServedAt)
                            .as("connections after the rotation with the responder back").isNotEmpty()
                            .allSatisfy(c -> assertThat(c.served()).as(c.toString()).isEqualTo(serial3));
                    // and a staple, whenever one is sent, is a good and current response about the very
                    // certificate served with it
                    assertThat(all).filteredOn(c -> c.staple() != null).allSatisfy(c -> {
                        assertThat(c.staple().serial()).as("serial the staple is about, %s", c).isEqualTo(c.served());
                        assertThat(c.staple().issuerMatches()).as("issuer of the staple, %s", c).isTrue();
                        assertThat(c.staple().status()).as(c.toString()).isEqualTo("good");
                        assertThat(c.staple().nextUpdate()).as(c.toString()).isAfter(c.startedAt());
                    });
                    // and while the responder was down the new certificate went without one
                    assertThat(all).filteredOn(c -> serial2.equals(c.served()) && c.endedNanos() < backAt)
                            .as("the second certificate served while the responder was down")
                            .hasSizeGreaterThanOrEqualTo((JDK_CLIENTS + OPENSSL_CLIENTS) * PER_PHASE)
                            .allSatisfy(c -> assertThat(c.staple()).as(c.toString()).isNull());
                    if (stapling) {
                        // and otherwise the certificate served had its staple: before the outage, and right
                        // from the rotation made with the responder up (fetched before the swap)
                        assertThat(all).filteredOn(c -> serial1.equals(c.served()) && c.endedNanos() < stoppedAt)
                                .isNotEmpty()
                                .allSatisfy(c -> assertThat(c.staple()).as(c.toString()).isNotNull());
                        assertThat(all).filteredOn(c -> serial2.equals(c.served())
                                        && c.startedNanos() > secondStapledAt)
                                .as("the second certificate, once its response came").isNotEmpty()
                                .allSatisfy(c -> assertThat(c.staple()).as(c.toString()).isNotNull());
                        assertThat(all).filteredOn(c -> serial3.equals(c.served())).isNotEmpty()
                                .allSatisfy(c -> assertThat(c.staple()).as(c.toString()).isNotNull());
                    } else {
                        assertThat(all).filteredOn(c -> c.staple() != null).as("staples on the JDK provider")
                                .isEmpty();
                    }
                    // and the meters say what happened: two rotations, none refused, fetches that failed
                    assertThat(rotations(validator, "rotated")).isEqualTo(2.0);
                    assertThat(rotations(validator, "refused")).isZero();
                    assertThat(fetches(validator, "error")).isGreaterThan(errorsBefore);
                    assertThat(validator.meters().get("tlswatch.certificate.ocsp.stapled").gauge().value())
                            .isEqualTo(stapling ? 1.0 : 0.0);
                }
            }
        }
    }

    private static Map<String, String> config(KafkaBroker broker, TlsSettings.ProviderPreference provider, Path chain,
                                              Path key, Path caFile) {
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("server.publicUrl", PUBLIC_URL);
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        values.put("tls.certificate", chain.toString());
        values.put("tls.privateKey", key.toString());
        values.put("tls.trustAnchors", caFile.toString());
        values.put("tls.certificateName", "outage-" + UUID.randomUUID());
        values.put("tls.watch.interval", "200ms");
        values.put("tls.minValidityAhead", "2m");
        values.put("tls.provider", provider.name().toLowerCase(java.util.Locale.ROOT));
        values.put("ocsp.timeout", OCSP_TIMEOUT.toMillis() + "ms");
        values.put("ocsp.retryMin", RETRY_MIN.toMillis() + "ms");
        values.put("ocsp.retryMax", RETRY_MAX.toMillis() + "ms");
        return values;
    }

    private static RotationPki.Leaf issueGood(RotationPki pki, TestOcspResponder responder) throws Exception {
        RotationPki.Leaf leaf = pki.issue(Duration.ofMinutes(10));
        responder.set(leaf.certificate().getSerialNumber(), TestOcspResponder.Status.GOOD);
        return leaf;
    }

    /** Waits until new connections get {@code leaf}; answers when that was seen (later than the swap itself). */
    private static long awaitServed(CertificateManager manager, RotationPki.Leaf leaf) {
        await("serial " + leaf.serialHex() + " served").atMost(WAIT)
                .until(() -> manager.currentLeaf().equals(leaf.certificate()));
        return System.nanoTime();
    }

    private static String issueLicense(KafkaBroker broker, Validator validator) {
        try (LicenseAdmin admin = new LicenseAdmin(KafkaSettings.of(broker.bootstrapServers()), Topics.LICENSES,
                Clock.systemUTC(), "test")) {
            IssuedLicense issued = admin.issue("Outage IT", "standard", List.of(), JDK_CLIENTS + OPENSSL_CLIENTS,
                    Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(1)), Duration.ZERO);
            await().atMost(WAIT).until(() -> validator.registry().byLicenseId(issued.license().licenseId()).isPresent());
            return issued.licenseKey();
        }
    }

    private static double fetches(Validator validator, String outcome) {
        return validator.meters().get("tlswatch.certificate.ocsp.fetches").tag("outcome", outcome).counter().count();
    }

    private static double rotations(Validator validator, String outcome) {
        return validator.meters().get("tlswatch.certificate.rotations").tag("outcome", outcome).counter().count();
    }

    private static long handshakes(Validator validator, String outcome) {
        return Math.round(validator.meters().find("tlswatch.handshakes").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum());
    }

    /** The looping clients: each opens a new connection, checks the license, records it, and starts over. */
    private static final class Load implements AutoCloseable {

        private final Queue<Connection> connections = new ConcurrentLinkedQueue<>();
        private final AtomicReference<String> phase = new AtomicReference<>("responder up");
        private final ExecutorService threads = Executors.newFixedThreadPool(JDK_CLIENTS + OPENSSL_CLIENTS);
        private final List<String> names = new ArrayList<>();
        private volatile boolean running = true;

        Load(StatusRequestingClients clients, String licenseKey, Path dir) throws Exception {
            for (int i = 0; i < JDK_CLIENTS + OPENSSL_CLIENTS; i++) {
                boolean jdk = i < JDK_CLIENTS;
                String name = jdk ? "jdk-" + i : "openssl-" + (i - JDK_CLIENTS);
                String clientId = "outage-" + name + "-" + UUID.randomUUID();
                ECKey key = new ECKeyGenerator(Curve.P_256).generate();
                Path scratch = dir.resolve(name + ".http");
                names.add(name);
                Supplier<Connection> connect = jdk
                        ? () -> clients.jdk(name, phase.get(), licenseKey, clientId, key)
                        : () -> clients.openssl(name, phase.get(), licenseKey, clientId, key, scratch);
                threads.execute(() -> {
                    while (running) {
                        connections.add(connect.get());
                    }
                });
            }
        }

        void phase(String value) {
            phase.set(value);
        }

        /** Whether every client made at least {@code count} connections matching {@code which}. */
        boolean eachClientMade(int count, Predicate<Connection> which) {
            Map<String, Long> made = connections.stream().filter(which)
                    .collect(Collectors.groupingBy(Connection::client, Collectors.counting()));
            return names.stream().allMatch(name -> made.getOrDefault(name, 0L) >= count);
        }

        /** Whether a JDK client and an openssl client each made a connection matching {@code which}. */
        boolean eachKindMade(Predicate<Connection> which) {
            return connections.stream().filter(which).anyMatch(c -> c.client().startsWith("jdk"))
                    && connections.stream().filter(which).anyMatch(c -> c.client().startsWith("openssl"));
        }

        List<Connection> connections() {
            return List.copyOf(connections);
        }

        String summary() {
            return connections.stream().collect(Collectors.groupingBy(Connection::phase, java.util.TreeMap::new,
                    Collectors.counting())).toString();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).as("clients stopped").isTrue();
        }
    }
}
