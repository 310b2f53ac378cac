package io.tlswatch.tlsserver.certificate;

import io.tlswatch.contract.event.CertificateEvent;
import io.tlswatch.contract.event.CertificateEventKind;
import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.TlsSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rotation without a restart, with real TLS clients against a real Netty server on both providers: certificates
 * from a CA made in code, valid for minutes, replaced on disk while the server runs.
 */
class CertificateRotationIT {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;
    private RotationPki pki;
    private Path chain;
    private Path key;
    private Path anchors;
    private TrustingClient client;

    @BeforeEach
    void pki() throws Exception {
        pki = RotationPki.create("Rotation CA");
        chain = dir.resolve("tls.crt");
        key = dir.resolve("tls.key");
        anchors = dir.resolve("ca.pem");
        pki.writeCa(anchors);
        client = new TrustingClient(pki.ca);
    }

    private CertificateSettings settings(CertificateSource source) {
        return CertificateSettings.defaults("rotation-test", source)
                .withTrustAnchors(anchors)
                .withWatchInterval(Duration.ofMillis(200))
                .withMinValidityAhead(Duration.ofMinutes(2))
                .withOcsp(OcspSettings.disabled());
    }

    private CertificateSettings pemSettings() {
        return settings(new CertificateSource.PemFiles(chain, key));
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void givenAConnectedClient_whenTheCertificateIsRotated_thenItKeepsWorkingAndNewClientsSeeTheNewSerial(
            TlsSettings.ProviderPreference provider) throws Exception {
        RotationPki.Leaf first = pki.issue(Duration.ofMinutes(10));
        first.writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(pemSettings(), provider);
             TrustingClient.Connection before = client.connect(server.port())) {
            assertThat(before.roundTrip("before")).isEqualTo("before");
            assertThat(before.serial()).isEqualTo(first.certificate().getSerialNumber());

            RotationPki.Leaf second = pki.issue(Duration.ofMinutes(10));
            second.writeTo(chain, key);

            await().atMost(WAIT).until(() -> client.servedSerial(server.port())
                    .equals(second.certificate().getSerialNumber()));
            assertThat(before.roundTrip("after the swap")).isEqualTo("after the swap");
            assertThat(before.serial()).isEqualTo(first.certificate().getSerialNumber());
            assertThat(server.manager.currentLeaf()).isEqualTo(second.certificate());
            assertThat(server.events.of(CertificateEventKind.LOADED)).singleElement()
                    .satisfies(e -> assertThat(e.serial()).isEqualTo(first.serialHex()));
            assertThat(server.events.of(CertificateEventKind.ROTATED)).singleElement().satisfies(e -> {
                assertThat(e.serial()).isEqualTo(second.serialHex());
                assertThat(e.previousSerial()).isEqualTo(first.serialHex());
                assertThat(e.certificateName()).isEqualTo("rotation-test");
            });
            assertThat(server.events.of(CertificateEventKind.ROTATION_REFUSED)).isEmpty();
            assertThat(server.counter("tlswatch.certificate.rotations", "rotated")).isEqualTo(1.0);
            assertThat(server.meters.get("tlswatch.certificate.not.after").gauge().value())
                    .isEqualTo(second.certificate().getNotAfter().getTime() / 1000.0);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void givenBrokenFiles_whenTheyAppear_thenEachIsRefusedWithItsReasonAndTheLastGoodKeepsServing(
            TlsSettings.ProviderPreference provider) throws Exception {
        RotationPki.Leaf good = pki.issue(Duration.ofMinutes(10));
        good.writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(pemSettings(), provider);
             TrustingClient.Connection open = client.connect(server.port())) {
            RotationPki.Leaf other = pki.issue(Duration.ofMinutes(10));
            RotationPki.Leaf expired = pki.issue(Instant.now().minus(Duration.ofHours(2)),
                    Instant.now().minus(Duration.ofHours(1)));
            RotationPki.Leaf tooShort = pki.issue(Duration.ofSeconds(30));
            RotationPki stranger = RotationPki.create("Unknown CA");
            RotationPki.Leaf untrusted = stranger.issue(Duration.ofMinutes(10));

            String pem = other.chainPem();
            List<Runnable> breakages = List.of(
                    () -> write(chain, pem.substring(0, pem.length() / 2)),             // truncated PEM
                    () -> write(chain, pem),                                              // key of another cert
                    () -> writeBoth(expired),                                            // expired
                    () -> writeBoth(tooShort),                                           // expires too soon
                    () -> writeBoth(untrusted));                                          // chain to an unknown CA
            List<String> reasons = List.of("holds no readable PEM certificate", "does not belong",
                    "expired at", "tls.minValidityAhead", "not a configured trust anchor");

            for (int i = 0; i < breakages.size(); i++) {
                int refusedBefore = server.events.of(CertificateEventKind.ROTATION_REFUSED).size();
                breakages.get(i).run();
                await().atMost(WAIT).until(() ->
                        server.events.of(CertificateEventKind.ROTATION_REFUSED).size() > refusedBefore);
                CertificateEvent refused = server.events.of(CertificateEventKind.ROTATION_REFUSED).get(refusedBefore);
                assertThat(refused.reason()).contains(reasons.get(i));
                assertThat(refused.previousSerial()).isEqualTo(good.serialHex());
                assertThat(client.servedSerial(server.port())).isEqualTo(good.certificate().getSerialNumber());
            }
            assertThat(open.roundTrip("still here")).isEqualTo("still here");
            assertThat(server.events.of(CertificateEventKind.ROTATED)).isEmpty();
            assertThat(server.counter("tlswatch.certificate.rotations", "refused")).isEqualTo(reasons.size());
            assertThat(server.server.handshakeFailures()).isZero();

            // and a good pair after all that is taken
            RotationPki.Leaf next = pki.issue(Duration.ofMinutes(10));
            next.writeTo(chain, key);
            await().atMost(WAIT).until(() -> client.servedSerial(server.port())
                    .equals(next.certificate().getSerialNumber()));
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void givenAKubernetesSecretVolume_whenItsDataLinkIsSwapped_thenTheNewCertificateIsServed(
            TlsSettings.ProviderPreference provider) throws Exception {
        // kubelet's layout: tls.crt -> ..data/tls.crt, ..data -> ..<timestamp>/, swapped by renaming a new link
        RotationPki.Leaf first = pki.issue(Duration.ofMinutes(10));
        Path volume = Files.createDirectory(dir.resolve("secret"));
        writeGeneration(volume, "..2026_11_29_16_00_00.1", first);
        Files.createSymbolicLink(volume.resolve("..data"), Path.of("..2026_11_29_16_00_00.1"));
        Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));
        CertificateSettings settings = settings(new CertificateSource.PemFiles(volume.resolve("tls.crt"),
                volume.resolve("tls.key"))).withWatchInterval(Duration.ofMinutes(10)); // file events alone
        try (ManagedTlsServer server = new ManagedTlsServer(settings, provider)) {
            assertThat(client.servedSerial(server.port())).isEqualTo(first.certificate().getSerialNumber());

            RotationPki.Leaf second = pki.issue(Duration.ofMinutes(10));
            writeGeneration(volume, "..2026_11_29_16_05_00.2", second);
            Files.createSymbolicLink(volume.resolve("..data_tmp"), Path.of("..2026_11_29_16_05_00.2"));
            Files.move(volume.resolve("..data_tmp"), volume.resolve("..data"),
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            await().atMost(WAIT).until(() -> client.servedSerial(server.port())
                    .equals(second.certificate().getSerialNumber()));
            assertThat(server.events.of(CertificateEventKind.ROTATED)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void givenClientsConnectingAllTheTime_whenTheCertificateIsRotatedSeveralTimes_thenNoHandshakeFails(
            TlsSettings.ProviderPreference provider) throws Exception {
        RotationPki.Leaf first = pki.issue(Duration.ofMinutes(10));
        first.writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(pemSettings(), provider)) {
            Set<BigInteger> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger handshakes = new AtomicInteger();
            AtomicReference<Exception> failure = new AtomicReference<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread thread = new Thread(() -> {
                    while (running.get() && failure.get() == null) {
                        try {
                            seen.add(client.servedSerial(server.port()));
                            handshakes.incrementAndGet();
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                });
                thread.start();
                clients.add(thread);
            }
            Set<BigInteger> issued = new HashSet<>(Set.of(first.certificate().getSerialNumber()));
            try {
                for (int i = 0; i < 3; i++) {
                    RotationPki.Leaf next = pki.issue(Duration.ofMinutes(10));
                    issued.add(next.certificate().getSerialNumber());
                    next.writeTo(chain, key);
                    await().atMost(WAIT).until(() -> seen.contains(next.certificate().getSerialNumber())
                            || failure.get() != null);
                }
            } finally {
                running.set(false);
                for (Thread thread : clients) {
                    thread.join(20_000);
                }
            }
            assertThat(failure.get()).isNull();
            assertThat(seen).isEqualTo(issued);
            assertThat(handshakes.get()).isGreaterThan(10);
            assertThat(server.server.handshakeFailures()).isZero();
            assertThat(server.events.of(CertificateEventKind.ROTATED)).hasSize(3);
            assertThat(server.events.of(CertificateEventKind.ROTATION_REFUSED)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsSettings.ProviderPreference.class, names = {"OPENSSL", "JDK"})
    void givenAPkcs12KeyStore_whenItIsReplaced_thenTheNewCertificateIsServed(TlsSettings.ProviderPreference provider)
            throws Exception {
        Path store = dir.resolve("server.p12");
        Path password = dir.resolve("p12-password");
        Files.writeString(password, "first-secret\n");
        RotationPki.Leaf first = pki.issue(Duration.ofMinutes(10));
        writePkcs12(store, first, "first-secret");
        CertificateSettings settings = settings(new CertificateSource.Pkcs12File(store,
                new io.tlswatch.tlsserver.tls.SecretSource.File(password)));
        try (ManagedTlsServer server = new ManagedTlsServer(settings, provider)) {
            assertThat(client.servedSerial(server.port())).isEqualTo(first.certificate().getSerialNumber());

            // a new store under a new password: the password file changes first, then the store
            RotationPki.Leaf second = pki.issue(Duration.ofMinutes(10));
            Path staged = dir.resolve("server.p12.new");
            writePkcs12(staged, second, "second-secret");
            RotationPki.replace(password, "second-secret\n");
            Files.move(staged, store, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            await().atMost(WAIT).until(() -> client.servedSerial(server.port())
                    .equals(second.certificate().getSerialNumber()));
            assertThat(server.events.of(CertificateEventKind.ROTATED)).hasSize(1);
        }
    }

    @org.junit.jupiter.api.Test
    void givenWatchingTurnedOff_whenTheFilesChange_thenTheStartUpCertificateKeepsServing() throws Exception {
        RotationPki.Leaf first = pki.issue(Duration.ofMinutes(10));
        first.writeTo(chain, key);
        try (ManagedTlsServer server = new ManagedTlsServer(pemSettings().withWatchInterval(Duration.ZERO),
                TlsSettings.ProviderPreference.JDK)) {
            pki.issue(Duration.ofMinutes(10)).writeTo(chain, key);

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                    client.servedSerial(server.port()).equals(first.certificate().getSerialNumber()));
            assertThat(server.events.of(CertificateEventKind.ROTATED)).isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void givenACertificateAboutToExpire_whenItIsServed_thenItIsWarnedAboutOnceAndReportedExpiredWhenItDoes()
            throws Exception {
        RotationPki.Leaf dying = pki.issue(Instant.now().minus(Duration.ofMinutes(1)), Instant.now().plusSeconds(3));
        dying.writeTo(chain, key);
        // at start-up a certificate too close to its end is still served, since nothing else could be
        try (ManagedTlsServer server = new ManagedTlsServer(pemSettings(), TlsSettings.ProviderPreference.JDK)) {
            assertThat(client.servedSerial(server.port())).isEqualTo(dying.certificate().getSerialNumber());

            await().atMost(WAIT).until(() -> !server.events.of(CertificateEventKind.EXPIRED).isEmpty());
            assertThat(server.events.of(CertificateEventKind.EXPIRING)).singleElement()
                    .satisfies(e -> assertThat(e.thresholdDays()).isEqualTo(1));
            assertThat(server.events.of(CertificateEventKind.EXPIRED)).singleElement()
                    .satisfies(e -> assertThat(e.serial()).isEqualTo(dying.serialHex()));
            assertThat(Instant.now()).isAfterOrEqualTo(dying.certificate().getNotAfter().toInstant());
        }
    }

    private static void writePkcs12(Path file, RotationPki.Leaf leaf, String password) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.keys().getPrivate(), password.toCharArray(),
                leaf.chain().toArray(new java.security.cert.Certificate[0]));
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    private void writeGeneration(Path volume, String name, RotationPki.Leaf leaf) throws Exception {
        Path generation = Files.createDirectory(volume.resolve(name));
        Files.writeString(generation.resolve("tls.crt"), leaf.chainPem());
        Files.writeString(generation.resolve("tls.key"), leaf.keyPem());
    }

    private void writeBoth(RotationPki.Leaf leaf) {
        try {
            leaf.writeTo(chain, key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            RotationPki.replace(file, content);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
