package io.tlswatch.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.client.token.EntitlementVerifier;
import io.tlswatch.client.token.Jwks;
import io.tlswatch.contract.testing.FreePorts;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.testing.Haproxy;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.token.KeyFileEdit;
import io.tlswatch.validator.token.KeyFileEdits;
import io.tlswatch.validator.token.KeyReloadMeters;
import io.tlswatch.validator.token.SigningAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Issue 17's "key rotation under load": two validators sharing {@code token.keyFile}, with their defaults
 * otherwise, while real SDK clients validate against both without pause; the key is rotated as
 * docs/runbooks.md "Rotating the token signing key" tells an operator to, and no client may see one refusal.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KeyRotationUnderLoadIT {

    /** The default watch interval ({@code tls.watch.interval}, 10 s) and then some; file events are quicker. */
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(20);
    private static final int CLIENTS_PER_REPLICA = 2;
    private static final Duration PACE = Duration.ofMillis(100);

    @Test
    void aKeyRotatedWithOverlapOnTwoReplicasRefusesNoTokenToSdkClientsValidatingThroughout(
            KafkaBroker broker, @TempDir Path dir) throws Exception {
        rotateUnderLoad(broker, dir, null);
    }

    /**
     * The same behind a real load balancer, HAProxy in TCP mode taking turns between the replicas: the SDK opens a
     * connection per request, so a client's consecutive validations, and its JWKS fetches, land on both replicas,
     * and a token signed by one is verified with keys fetched from the other.
     */
    @Test
    void behindALoadBalancerTakingTurnsARotationRefusesNoToken(KafkaBroker broker, @TempDir Path dir)
            throws Exception {
        assumeTrue(Haproxy.installed(), "needs Debian's haproxy, which .ci/run installs; the test above covers "
                + "the rotation with each client on one replica");
        rotateUnderLoad(broker, dir, FreePorts.next());
    }

    /** @param balancerPort the port of a load balancer in front of both replicas, or {@code null} for none */
    private void rotateUnderLoad(KafkaBroker broker, Path dir, Integer balancerPort) throws Exception {
        // given: two validators on one broker sharing a key file, and a license both know
        Path keyFile = dir.resolve("signing-keys.jwks");
        KeyFileEdit generated = KeyFileEdits.generate(SigningAlgorithm.EDDSA);
        replace(keyFile, generated.text());
        String oldKid = generated.kids().get(0);
        Path certificates = Files.createDirectory(dir.resolve("certificates"));
        Map<String, String> shared = new HashMap<>(Map.of("token.keyFile", keyFile.toString()));
        if (balancerPort != null) {
            // Clients address the balancer: DPoP proofs and the token issuer name its URL, on both replicas.
            shared.put("server.publicUrl", "https://localhost:" + balancerPort);
        }
        Haproxy balancer = null;
        try (RealValidator first = new RealValidator(broker, certificates, shared);
             RealValidator second = new RealValidator(broker, certificates, shared)) {
            if (balancerPort != null) {
                balancer = Haproxy.start(Files.createDirectory(dir.resolve("haproxy")), "127.0.0.1",
                        List.of(new Haproxy.Route("validators", "127.0.0.1", List.of(first.port(), second.port()),
                                Haproxy.Header.NONE)), Map.of("validators", balancerPort));
            }
            URI balancerUrl = balancerPort == null ? null : URI.create("https://localhost:" + balancerPort);
            IssuedLicense license = first.issue("enterprise");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> second.validator().registry().byLicenseId(license.license().licenseId()).isPresent());
            HttpTransport http = new HttpTransport(ClientTls.create(first.caCertificate(), List.of(), List.of()),
                    Duration.ofSeconds(5), Duration.ofSeconds(10));
            List<Replica> replicas = List.of(new Replica(first, http), new Replica(second, http));
            List<Load> loads = new ArrayList<>();
            for (Replica replica : replicas) {
                for (int i = 0; i < CLIENTS_PER_REPLICA; i++) {
                    URI serverUrl = balancerUrl == null ? replica.server().url() : balancerUrl;
                    loads.add(new Load(replica, serverUrl, LicenseClient.builder().serverUrl(serverUrl)
                            .licenseKey(license.licenseKey())
                            .stateDirectory(dir.resolve("client-" + loads.size()))
                            .trustedCas(replica.server().caCertificate())
                            .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build()));
                }
            }
            ScheduledExecutorService pool = Executors.newScheduledThreadPool(loads.size());
            List<String> signedByOld = new ArrayList<>();
            String newKid;
            boolean stopped;
            try {
                loads.forEach(load -> pool.scheduleWithFixedDelay(load::validateOnce, 0, PACE.toMillis(),
                        TimeUnit.MILLISECONDS));
                await().atMost(Duration.ofSeconds(20)).until(() -> loads.stream().allMatch(load ->
                        load.validations() >= 3 && oldKid.equals(load.lastKid())));

                // when: runbook step 1, a key staged in the shared file
                List<Double> before = reloads(replicas);
                KeyFileEdit staged = KeyFileEdits.stage(read(keyFile), Optional.empty(), keyFile.toString());
                newKid = staged.kids().get(0);
                replace(keyFile, staged.text());

                // step 2: every replica reloaded it, and publishes it second
                await().atMost(RELOAD_BOUND).until(() -> movedByOne(replicas, before));
                for (Replica replica : replicas) {
                    assertThat(replica.jwks().getKeys()).extracting(JWK::getKeyID).containsExactly(oldKid, newKid);
                }

                // step 4: promoted, every replica reloaded it
                loads.forEach(load -> signedByOld.add(load.lastToken()));
                List<Double> staging = reloads(replicas);
                replace(keyFile, KeyFileEdits.promote(read(keyFile), keyFile.toString()).text());
                await().atMost(RELOAD_BOUND).until(() -> movedByOne(replicas, staging));

                // then: the clients, still validating, get tokens of the new key
                List<Integer> promotedAt = loads.stream().map(Load::validations).toList();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    for (int i = 0; i < loads.size(); i++) {
                        Load load = loads.get(i);
                        if (load.validations() < promotedAt.get(i) + 3 || !newKid.equals(load.lastKid())) {
                            return false;
                        }
                    }
                    return true;
                });
            } finally {
                pool.shutdown();
                stopped = pool.awaitTermination(15, TimeUnit.SECONDS);
                loads.forEach(load -> load.client().close());
                if (balancer != null) {
                    balancer.close();
                }
            }
            assertThat(stopped).as("every client's last validation ended").isTrue();

            // and not one validation was refused or failed to verify, in any client, over the whole run
            for (Load load : loads) {
                assertThat(load.failures()).as("failures of %s", load.client().clientId()).isEmpty();
                assertThat(load.validations()).isGreaterThanOrEqualTo(6);
            }
            // and each replica answered validations of every client's kind: with a balancer, both took turns
            for (Replica replica : replicas) {
                assertThat(replica.validChecks()).as("valid checks answered by %s", replica.server().url())
                        .isGreaterThanOrEqualTo(balancerPort == null ? CLIENTS_PER_REPLICA * 6 : 6);
            }
            // and each replica publishes both keys, the new one signing, and took in both changes without a refusal
            for (Replica replica : replicas) {
                assertThat(replica.jwks().getKeys()).extracting(JWK::getKeyID).containsExactly(newKid, oldKid);
                assertThat(replica.reloads("failed")).isZero();
            }
            // and the tokens the old key signed before the promotion still verify in the SDK, with a fresh JWKS
            for (int i = 0; i < loads.size(); i++) {
                Load load = loads.get(i);
                EntitlementVerifier verifier = new EntitlementVerifier(
                        new Jwks(http, load.replica().jwksUri(), Clock.systemUTC()),
                        load.serverUrl().toString(), "tlswatch-client", load.client().clientId(),
                        load.client().keyThumbprint(), Clock.systemUTC());
                assertThat(verifier.verify(signedByOld.get(i)).kid()).isEqualTo(oldKid);
            }
        }
    }

    private static List<Double> reloads(List<Replica> replicas) {
        return replicas.stream().map(replica -> replica.reloads("reloaded")).toList();
    }

    private static boolean movedByOne(List<Replica> replicas, List<Double> before) {
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).reloads("reloaded") < before.get(i) + 1) {
                return false;
            }
        }
        return true;
    }

    private static String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** In one step and owner-only, as {@code tlswatch keys rotate} writes it. */
    private static void replace(Path file, String text) throws Exception {
        Path temporary = file.resolveSibling(file.getFileName() + ".new");
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A validator as an operator watches it during a rotation: its reload counter and its published keys. */
    private record Replica(RealValidator server, HttpTransport http) {

        URI jwksUri() {
            return URI.create(server.url() + LicenseClient.JWKS_PATH);
        }

        double validChecks() {
            return server.validator().meters().get("tlswatch.license.checks").tag("code", "VALID").counter().count();
        }

        double reloads(String outcome) {
            return server.validator().meters().get(KeyReloadMeters.NAME).tag("outcome", outcome).counter().count();
        }

        JWKSet jwks() throws Exception {
            HttpResponse response = http.get(jwksUri());
            assertThat(response.status()).isEqualTo(200);
            return JWKSet.parse(response.bodyText());
        }
    }

    /** One SDK client validating again and again, keeping what went wrong and the last token it was given. */
    private static final class Load {
        private final Replica replica;
        private final URI serverUrl;
        private final LicenseClient client;
        private final AtomicInteger validations = new AtomicInteger();
        private final AtomicReference<String> lastToken = new AtomicReference<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();

        /**
         * @param replica   the replica the client was set up for (its CA, its JWKS for the final check)
         * @param serverUrl where the client sends its requests: that replica, or the load balancer
         */
        Load(Replica replica, URI serverUrl, LicenseClient client) {
            this.replica = replica;
            this.serverUrl = serverUrl;
            this.client = client;
        }

        URI serverUrl() {
            return serverUrl;
        }

        /** Never throws: a scheduled task that throws is silently never run again. */
        void validateOnce() {
            try {
                LicenseStatus status = client.validate();
                if (status.state() != LicenseState.VALID || status.lastFailure().isPresent()
                        || status.token().isEmpty()) {
                    failures.add(status.toString());
                } else {
                    lastToken.set(status.token().get());
                }
            } catch (RuntimeException e) {
                failures.add(e.toString());
            }
            validations.incrementAndGet();
        }

        Replica replica() {
            return replica;
        }

        LicenseClient client() {
            return client;
        }

        int validations() {
            return validations.get();
        }

        List<String> failures() {
            return failures;
        }

        String lastToken() {
            return lastToken.get();
        }

        String lastKid() {
            String token = lastToken.get();
            try {
                return token == null ? null : SignedJWT.parse(token).getHeader().getKeyID();
            } catch (ParseException e) {
                throw new IllegalStateException("the SDK kept a token that does not parse", e);
            }
        }
    }
}
