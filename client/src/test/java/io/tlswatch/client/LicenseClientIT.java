package io.tlswatch.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.SignedJWT;
import io.tlswatch.client.report.ErrorClass;
import io.tlswatch.client.state.VerdictStore;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.validator.license.IssuedLicense;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The SDK against the real validator on a real broker, over real TLS. */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LicenseClientIT {

    private RealValidator server;
    private IssuedLicense license;

    @TempDir
    Path state;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path certificates) throws Exception {
        server = new RealValidator(broker, certificates, Map.of());
        license = server.issue("enterprise");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aValidLicenseGetsATokenBoundToTheInstallationsKeyAndCachedOnDisk() throws Exception {
        try (LicenseClient client = client(license.licenseKey(), state).build()) {
            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(status.code()).contains("VALID");
            assertThat(status.licenseId()).contains(license.license().licenseId());
            assertThat(status.entitlements()).containsExactly("reporting", "export");
            assertThat(status.timeLeft()).isGreaterThan(Duration.ofHours(72));
            SignedJWT token = SignedJWT.parse(status.token().orElseThrow());
            assertThat(token.getJWTClaimsSet().getStringClaim("cid")).isEqualTo(client.clientId());
            assertThat(token.getJWTClaimsSet().getJSONObjectClaim("cnf")).containsEntry("jkt", client.keyThumbprint());
            assertThat(token.getHeader().getKeyID()).isEqualTo(server.validator().signingKeys().current().kid());
            Path cached = state.resolve(VerdictStore.FILE_NAME);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cached))).isEqualTo("rw-------");
            assertThat(Files.readString(cached)).doesNotContain(license.licenseKey());
        }
    }

    @Test
    void aRestartedClientIsValidFromItsCacheBeforeAnyNetwork() {
        String clientId;
        try (LicenseClient first = client(license.licenseKey(), state).build()) {
            assertThat(first.validate().state()).isEqualTo(LicenseState.VALID);
            clientId = first.clientId();
        }

        try (LicenseClient restarted = client(license.licenseKey(), state).build()) {
            LicenseStatus status = restarted.status();

            assertThat(restarted.clientId()).isEqualTo(clientId);
            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(status.lastAnswerAt()).isPresent();
        }
    }

    @Test
    void aRevokedLicenseIsInvalidWithTheServersCode() {
        IssuedLicense revoked = server.issue("revoked-plan");
        try (LicenseClient client = client(revoked.licenseKey(), state).build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);

            server.revoke(revoked.license().licenseId());
            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("REVOKED");
            assertThat(status.usable()).isFalse();
            assertThat(status.token()).isEmpty();
        }
        try (LicenseClient restarted = client(revoked.licenseKey(), state).build()) {
            assertThat(restarted.status().code()).as("the verdict is kept across restarts").contains("REVOKED");
        }
    }

    @Test
    void aSuspendedLicenseIsInvalidWithTheServersCode() {
        IssuedLicense suspended = server.issue("suspended-plan");
        server.suspend(suspended.license().licenseId());
        try (LicenseClient client = client(suspended.licenseKey(), state).build()) {
            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.INVALID);
            assertThat(status.code()).contains("SUSPENDED");
            assertThat(status.licenseId()).contains(suspended.license().licenseId());
        }
    }

    @Test
    void anUnknownKeyIsInvalidNotFound() {
        try (LicenseClient client = client("TLSW-NO-SUCH-KEY", state).build()) {
            assertThat(client.validate().code()).contains("NOT_FOUND");
            assertThat(client.status().state()).isEqualTo(LicenseState.INVALID);
        }
    }

    @Test
    void aRotatedSigningKeyIsFetchedWhenATokenNamesIt() throws Exception {
        try (LicenseClient client = client(license.licenseKey(), state).build()) {
            LicenseStatus before = client.validate();
            String oldKid = kid(before);

            String newKid = server.validator().signingKeys().rotate().kid();

            // A moment after the fetch that found the old key: the first token of the new key is verified at once.
            LicenseStatus after = client.validate();

            assertThat(newKid).isNotEqualTo(oldKid);
            assertThat(kid(after)).isEqualTo(newKid);
            assertThat(after.state()).isEqualTo(LicenseState.VALID);
            assertThat(after.lastFailure()).isEmpty();
        }
    }

    @Test
    void aClockHoursOffGetsItsProofRefusedWithoutLosingTheLicense() throws Exception {
        // given an installation that validated once, then whose clock jumped three hours ahead
        Path shared = state;
        try (LicenseClient client = client(license.licenseKey(), shared).build()) {
            assertThat(client.validate().state()).isEqualTo(LicenseState.VALID);
        }
        Clock skewed = Clock.offset(Clock.systemUTC(), Duration.ofHours(3));
        try (LicenseClient client = client(license.licenseKey(), shared).clock(skewed).build()) {

            LicenseStatus status = client.validate();

            // then the proof's iat is refused, which says nothing about the license: the grace holds
            assertThat(status.state()).isEqualTo(LicenseState.GRACE);
            assertThat(status.code()).contains("VALID");
            // and the cause is named from the validator's Date, and reported (here spooled: no collector)
            assertThat(status.lastFailure()).hasValueSatisfying(failure ->
                    assertThat(failure.errorClass()).isEqualTo(ErrorClass.LICENSE_CLOCK_SKEW));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.spooledReports() == 1);
            JsonNode report = spooled(shared);
            assertThat(report.get("errorClass").asText()).isEqualTo(ErrorClass.LICENSE_CLOCK_SKEW);
            assertThat(report.get("message").asText()).startsWith("PROOF_INVALID").containsPattern("\\+(1079|1080)\\ds off");
        }
    }

    @Test
    void concurrentCallersAllSeeAConsistentValidStatus() throws Exception {
        try (LicenseClient client = client(license.licenseKey(), state).build()) {
            client.start();
            ExecutorService callers = Executors.newFixedThreadPool(8);
            try {
                List<Future<LicenseState>> results = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    boolean check = i % 4 == 0;
                    results.add(callers.submit(() -> check ? client.validate().state() : awaitUsable(client)));
                }
                for (Future<LicenseState> result : results) {
                    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(LicenseState.VALID);
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }

    private static LicenseState awaitUsable(LicenseClient client) {
        await().atMost(Duration.ofSeconds(15)).until(() -> client.status().usable());
        return client.status().state();
    }

    @Test
    void theBackgroundRefresherValidatesOnStart() {
        try (LicenseClient client = client(license.licenseKey(), state).build()) {
            client.start();

            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == LicenseState.VALID);
        }
    }

    @Test
    void aValidAnswerThatRequiresNoHeartbeatsStartsNoHeartbeatThread() {
        // A validator without machines answers without "machine", one with them says heartbeat.required false for
        // a license without heartbeats: either way none is due, so none is sent and no thread made.
        try (LicenseClient client = client(license.licenseKey(), state).build()) {
            client.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == LicenseState.VALID);

            assertThat(client.status().machine().map(Machine::heartbeatRequired).orElse(false)).isFalse();
            assertThat(LicenseClientMachinesTest.heartbeatThreads()).isEmpty();
        }
    }

    @Test
    void entitlementsAskedForThatTheLicenseHasValidate() {
        try (LicenseClient client = client(license.licenseKey(), state).entitlements("reporting").build()) {
            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.VALID);
            assertThat(status.entitlements()).contains("reporting");
        }
    }

    @Test
    void closingLeavesNoThreadBehind() {
        Set<Thread> before = liveThreads();
        for (int i = 0; i < 10; i++) {
            try (LicenseClient client = client(license.licenseKey(), state).build()) {
                client.start();
                await().atMost(Duration.ofSeconds(15)).until(() -> client.status().state() == LicenseState.VALID);
            }
        }

        assertThat(sdkThreads()).isEmpty();
        // Threads the validator's event loops and its own executors (tlswatch-*, e.g. a machine culler's, started
        // on its first run) start on demand are the server's; the SDK's are named and checked just above. The
        // JDK's keep-alive cache keeps one timer thread of its own for a few seconds. Anything else new would be
        // the SDK's.
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> assertThat(liveThreads()).filteredOn(t ->
                !before.contains(t) && !t.getName().startsWith("multiThreadIoEventLoopGroup")
                        && !t.getName().startsWith("tlswatch-")
                        && !t.getName().equals("Keep-Alive-Timer")).extracting(Thread::getName).isEmpty());
    }

    @Test
    void aClientThatDoesNotTrustTheServersCaFailsWithAnAuthorityErrorAndReportsIt() throws Exception {
        // The runtime's own trust store: it has never heard of the validator's development CA.
        try (LicenseClient client = LicenseClient.builder().serverUrl(server.url())
                .licenseKey(license.licenseKey()).stateDirectory(state).build()) {
            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.UNVERIFIED);
            assertThat(status.code()).isEmpty();
            assertThat(status.lastFailure()).hasValueSatisfying(failure ->
                    assertThat(failure.errorClass()).isEqualTo(ErrorClass.CERT_AUTHORITY_INVALID));
            // No collector configured: the report waits in the spool.
            await().atMost(Duration.ofSeconds(10)).until(() -> client.spooledReports() == 1);
            JsonNode report = spooled(state);
            assertThat(report.get("errorClass").asText()).isEqualTo(ErrorClass.CERT_AUTHORITY_INVALID);
            assertThat(report.get("clientId").asText()).isEqualTo(client.clientId());
            assertThat(report.get("endpoint").asText()).isEqualTo(server.url() + "/v1/licenses/validate");
        }
    }

    @Test
    void aTls10OnlyClientCannotReachTheValidatorAndSaysWhy() throws Exception {
        try (LicenseClient client = client(license.licenseKey(), state).tlsProtocols("TLSv1").build()) {
            LicenseStatus status = client.validate();

            assertThat(status.state()).isEqualTo(LicenseState.UNVERIFIED);
            assertThat(status.lastFailure()).hasValueSatisfying(failure ->
                    assertThat(failure.errorClass()).isEqualTo(ErrorClass.VERSION_OR_CIPHER_MISMATCH));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.spooledReports() == 1);
            JsonNode report = spooled(state);
            assertThat(report.get("tls").get("enabledProtocols")).extracting(JsonNode::asText).containsExactly("TLSv1");
            assertThat(report.get("runtime").get("version").asText()).isEqualTo(System.getProperty("java.runtime.version"));
        }
    }

    private LicenseClient.Builder client(String key, Path directory) {
        return LicenseClient.builder().serverUrl(server.url()).licenseKey(key).stateDirectory(directory)
                .trustedCas(server.caCertificate()).connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10));
    }

    private static String kid(LicenseStatus status) throws Exception {
        return SignedJWT.parse(status.token().orElseThrow()).getHeader().getKeyID();
    }

    private static JsonNode spooled(Path state) throws Exception {
        try (Stream<Path> files = Files.list(state.resolve("spool"))) {
            Path file = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            return new ObjectMapper().readTree(file.toFile());
        }
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    private static java.util.List<String> sdkThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("tlswatch-license") || name.startsWith("tlswatch-report"))
                .collect(Collectors.toList());
    }
}
