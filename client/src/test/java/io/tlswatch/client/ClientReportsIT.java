package io.tlswatch.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.identity.InstallationStore;
import io.tlswatch.client.report.ErrorClass;
import io.tlswatch.client.report.Reporter;
import io.tlswatch.contract.event.ClientReportEvent;
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
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS failures against the real validator, reported to the real collector, read back from the topic: over
 * HTTPS; over plain HTTP when the SDK's TLS is limited to TLS 1.0 (as an old runtime's is, which this JVM refuses
 * to speak at all); and from the spool, in a batch, once a collector that was down comes up, exactly once.
 */
@ExtendWith(KafkaBrokerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientReportsIT {

    private static final Reporter.Settings QUICK_RETRIES =
            new Reporter.Settings(100, 100, Duration.ofMillis(200), Duration.ofSeconds(1));

    private KafkaBroker broker;
    private RealValidator validator;
    private RealCollector collector;
    private Path collectorCaOnly;
    private Path bothCas;

    @BeforeAll
    void start(KafkaBroker broker, @TempDir Path validatorCerts, @TempDir Path collectorCerts,
               @TempDir Path trust) throws Exception {
        this.broker = broker;
        validator = new RealValidator(broker, validatorCerts, Map.of());
        collector = new RealCollector(broker, collectorCerts).start();
        collectorCaOnly = collector.caCertificate();
        bothCas = trust.resolve("both.pem");
        Files.writeString(bothCas, Files.readString(validator.caCertificate()) + Files.readString(collectorCaOnly));
    }

    @AfterAll
    void stop() {
        if (collector != null) {
            collector.close();
        }
        if (validator != null) {
            validator.close();
        }
    }

    @Test
    void aTrustStoreWithoutTheServersCaIsReportedOverHttpsSignedByTheInstallation(@TempDir Path state)
            throws Exception {
        IssuedLicense license = validator.issue("reports-https");
        // given a trust store that knows the collector's CA but not the license server's
        try (LicenseClient client = client(license, state, collectorCaOnly, collector).appVersion("4.2.0").build()) {

            // when the license check fails in the TLS layer
            LicenseStatus status = client.validate();

            // then the report arrives over HTTPS, authenticated by the installation's key
            assertThat(status.lastFailure().orElseThrow().errorClass()).isEqualTo(ErrorClass.CERT_AUTHORITY_INVALID);
            await().atMost(Duration.ofSeconds(20)).until(() -> client.reporting().deliveredHttps() == 1);
            ClientReportEvent report = collector.reports(e -> client.clientId().equals(e.clientId()), 1).get(0);
            assertThat(report.errorClass()).isEqualTo(ErrorClass.CERT_AUTHORITY_INVALID);
            assertThat(report.endpoint()).isEqualTo(validator.url() + "/v1/licenses/validate");
            assertThat(report.arrival().listener()).isEqualTo("https");
            assertThat(report.arrival().tlsProtocol()).isEqualTo("TLSv1.3");
            assertThat(report.authenticated()).isTrue();
            assertThat(report.signerJkt()).as("the installation's key, the one its DPoP proofs are made with")
                    .isEqualTo(new InstallationStore(state, new ObjectMapper()).loadOrCreate().thumbprint());
            assertThat(report.runtime().version()).isEqualTo(System.getProperty("java.runtime.version"));
            assertThat(report.tls().library()).isEqualTo("SunJSSE");
            assertThat(report.tls().enabledProtocols()).contains("TLSv1.3");
            assertThat(report.appVersion()).isEqualTo("4.2.0");
            assertThat(report.clientTime()).isNotNull();
            assertThat(report.message()).contains("PKIX");
        }
    }

    @Test
    void aClockTwoHoursAheadIsReportedAsClockSkewThoughItsTlsIsFine(@TempDir Path state) {
        IssuedLicense license = validator.issue("reports-clock");
        // given an installation whose clock runs two hours ahead, with a modern TLS stack
        try (LicenseClient client = client(license, state, bothCas, collector)
                .clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(2))).build()) {

            // when its license check is refused (its DPoP proof's iat is outside the validator's window)
            LicenseStatus status = client.validate();

            // then the refusal is named for its cause and reported, over HTTPS, like a TLS failure
            assertThat(status.state()).isEqualTo(LicenseState.UNVERIFIED);
            assertThat(status.lastFailure().orElseThrow().errorClass()).isEqualTo(ErrorClass.LICENSE_CLOCK_SKEW);
            await().atMost(Duration.ofSeconds(20)).until(() -> client.reporting().deliveredHttps() == 1);
            ClientReportEvent report = collector.reports(e -> client.clientId().equals(e.clientId()), 1).get(0);
            assertThat(report.errorClass()).isEqualTo(ErrorClass.LICENSE_CLOCK_SKEW);
            assertThat(report.endpoint()).isEqualTo(validator.url() + "/v1/licenses/validate");
            assertThat(report.message()).startsWith("PROOF_INVALID").containsPattern("\\+(719|720)\\ds off");
            assertThat(report.authenticated()).isTrue();
            // and its clientTime against the collector's clock shows the same two hours to the posture job
            assertThat(Duration.between(report.receivedAt(), report.clientTime()))
                    .isBetween(Duration.ofHours(2).minusSeconds(30), Duration.ofHours(2).plusSeconds(30));
        }
    }

    @Test
    void aTls10OnlyClientsReportArrivesOverThePlainHttpFallback(@TempDir Path state) {
        IssuedLicense license = validator.issue("reports-tls10");
        // given the SDK limited to TLS 1.0, as an old runtime is, trusting both servers
        try (LicenseClient client = client(license, state, bothCas, collector).tlsProtocols("TLSv1").build()) {

            LicenseStatus status = client.validate();

            // then neither the validator nor the collector's HTTPS can be reached, and plain HTTP carries the report
            assertThat(status.lastFailure().orElseThrow().errorClass()).isEqualTo(ErrorClass.VERSION_OR_CIPHER_MISMATCH);
            await().atMost(Duration.ofSeconds(20)).until(() -> client.reporting().deliveredHttp() == 1);
            assertThat(client.reporting().deliveredHttps()).isZero();
            ClientReportEvent report = collector.reports(e -> client.clientId().equals(e.clientId()), 1).get(0);
            assertThat(report.errorClass()).isEqualTo(ErrorClass.VERSION_OR_CIPHER_MISMATCH);
            assertThat(report.arrival().listener()).isEqualTo("http");
            assertThat(report.tls().enabledProtocols()).containsExactly("TLSv1");
            assertThat(report.authenticated()).isTrue();
        }
    }

    @Test
    void anOldRuntimeThatStillSpeaksTls10ReportsOverTheCollectorsTls10Listener(@TempDir Path state) throws Exception {
        IssuedLicense license = validator.issue("reports-old-runtime");
        // given a child JVM with TLS 1.0 re-enabled, as a runtime from before its deprecation has it
        Path security = state.resolveSibling(state.getFileName() + "-old.security");
        Files.writeString(security, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, MD5withRSA, DH keySize < 1024, "
                + "EC keySize < 224, 3DES_EDE_CBC, anon, NULL\n");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.properties=" + security, "-cp", System.getProperty("java.class.path"),
                OldRuntimeInstallation.class.getName(), validator.url().toString(), license.licenseKey(),
                state.toString(), bothCas.toString(), collector.https().toString(), collector.http().toString())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        // then the validator refused its TLS 1.0, and the report went over the collector's TLS 1.0 listener
        assertThat(output).contains("state UNVERIFIED").contains("failure " + ErrorClass.VERSION_OR_CIPHER_MISMATCH)
                .contains("https=1");
        String clientId = output.lines().filter(l -> l.startsWith("client ")).findFirst().orElseThrow().substring(7);
        ClientReportEvent report = collector.reports(e -> clientId.equals(e.clientId()), 1).get(0);
        assertThat(report.arrival().listener()).isEqualTo("https");
        assertThat(report.arrival().tlsProtocol()).isEqualTo("TLSv1");
        assertThat(report.arrival().ja4()).startsWith("t10");
        assertThat(report.message()).contains("protocol_version");
        assertThat(report.authenticated()).isTrue();
    }

    @Test
    void reportsWaitInTheSpoolUntilTheCollectorIsUpAndArriveOnceEach(@TempDir Path state,
                                                                     @TempDir Path laterCerts) throws Exception {
        IssuedLicense license = validator.issue("reports-spool");
        RealCollector later = new RealCollector(broker, laterCerts);
        Set<String> spooledIds;
        String clientId;
        // given a collector that is not running yet: two failures go to the spool
        try (LicenseClient client = client(license, state, bothCas, later).tlsProtocols("TLSv1").build()) {
            client.validate();
            client.validate();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.spooledReports() == 2);
            assertThat(client.reporting().spooled()).isEqualTo(2);
            spooledIds = spooledReportIds(state);
            clientId = client.clientId();

            // when the collector comes up
            later.start();

            // then the spool is sent, as one batch, and emptied
            await().atMost(Duration.ofSeconds(30)).until(() -> client.reporting().deliveredFromSpool() == 2);
            assertThat(client.spooledReports()).isZero();
            assertThat(later.largestBatch()).isEqualTo(2.0);
        }
        try {
            List<ClientReportEvent> reports = later.reports(e -> clientId.equals(e.clientId()), 2);
            assertThat(reports).extracting(ClientReportEvent::reportId).containsExactlyInAnyOrderElementsOf(spooledIds);

            // and a report sent again (its acknowledgement lost) is still one report
            Path spool = state.resolve("spool");
            String again = spooledIds.iterator().next();
            Files.writeString(spool.resolve(String.format("%019d-%s.json", 1L, again)),
                    "{\"reportId\":\"" + again + "\",\"clientId\":\"" + clientId + "\","
                            + "\"occurredAt\":\"2026-01-01T00:00:00.000Z\",\"errorClass\":\"tls.version_or_cipher_mismatch\"}");
            try (LicenseClient restarted = client(license, state, bothCas, later).tlsProtocols("TLSv1").build()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> restarted.reporting().deliveredFromSpool() == 1);
            }
            assertThat(later.reports(e -> clientId.equals(e.clientId()), 2)).hasSize(2);
        } finally {
            later.close();
        }
    }

    private LicenseClient.Builder client(IssuedLicense license, Path state, Path trust, RealCollector to) {
        return LicenseClient.builder().serverUrl(validator.url()).licenseKey(license.licenseKey())
                .stateDirectory(state).trustedCas(trust).collector(to.https(), to.http())
                .connectTimeout(Duration.ofSeconds(3)).readTimeout(Duration.ofSeconds(10)).reporting(QUICK_RETRIES);
    }

    private static Set<String> spooledReportIds(Path state) throws Exception {
        try (Stream<Path> files = Files.list(state.resolve("spool"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(20, n.length() - ".json".length())).collect(Collectors.toSet());
        }
    }
}
