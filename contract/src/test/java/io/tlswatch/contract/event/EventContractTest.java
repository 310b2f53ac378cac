package io.tlswatch.contract.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.serde.JsonSerde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventContractTest {

    static List<Event> samples() {
        return SampleEvents.all();
    }

    static List<Class<? extends Enum<?>>> enums() {
        return List.of(HandshakeOutcome.class, TlsProvider.class, FailureReason.class, ProofKind.class,
                ReportFormat.class, OcspStatus.class, Posture.class, AlertStatus.class, Severity.class,
                LicenseRecordStatus.class, CertificateEventKind.class, LicenseCheckCode.class,
                DeliveryOutcome.class, DeadLetterReason.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyRecordCarriesItsClassTypeConstant(Event sample) throws Exception {
        String declared = (String) sample.getClass().getField("TYPE").get(null);

        assertThat(sample.type()).isEqualTo(declared).matches("tlswatch\\.[a-z-]+/1");
    }

    @Test
    void everyEventTypeHasASample() {
        assertThat(SampleEvents.all()).extracting(Event::type).containsAll(List.of(
                HandshakeEvent.TYPE, LicenseCheckEvent.TYPE, CertificateEvent.TYPE, ClientReportEvent.TYPE,
                ClientPosture.TYPE, FingerprintPosture.TYPE, AlertEvent.TYPE, LicenseRecord.TYPE,
                AlertDeadLetter.TYPE));
    }

    @Test
    void keysAreWhatTheTopicTableOfTheDesignSays() {
        assertThat(SampleEvents.handshakeSuccess().key()).isEqualTo("203.0.113.24");
        assertThat(SampleEvents.licenseCheck().key()).isEqualTo(SampleEvents.HEALTHY_CLIENT);
        assertThat(SampleEvents.certificateRotated().key()).isEqualTo("validator");
        assertThat(SampleEvents.clientReport().key()).isEqualTo(SampleEvents.STUCK_CLIENT);
        assertThat(SampleEvents.clientReportNel().key()).as("no client id: the address").isEqualTo("192.0.2.58");
        assertThat(SampleEvents.clientPosture().key()).isEqualTo(SampleEvents.STUCK_CLIENT);
        assertThat(SampleEvents.fingerprintPosture().key()).isEqualTo(SampleEvents.JAVA7_JA4);
        assertThat(SampleEvents.alertFiring().key()).isEqualTo("tls-outdated:" + SampleEvents.STUCK_CLIENT);
        assertThat(SampleEvents.license().key()).isEqualTo(SampleEvents.LICENSE_ID);
    }

    @Test
    void aMissingIdIsRefusedNamingIt() {
        assertThatThrownBy(() -> validHandshake().id(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'id' is required");
    }

    @Test
    void aMissingTimeIsRefusedNamingIt() {
        assertThatThrownBy(() -> validHandshake().time(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'time' is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void aBlankSourceIsRefusedNamingIt(String source) {
        assertThatThrownBy(() -> validHandshake().source(source).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'source' must not be blank");
    }

    @Test
    void aTypeOtherThanTheRecordsOwnIsRefused() {
        FingerprintPosture sample = SampleEvents.fingerprintPosture();

        assertThatThrownBy(() -> new FingerprintPosture("tlswatch.fingerprint-posture/2", sample.id(), sample.time(),
                sample.source(), sample.ja4(), sample.highestOfferedVersion(), sample.outdated(), sample.failures(),
                sample.successes(), sample.distinctAddresses(), sample.distinctClients(), sample.firstSeen(),
                sample.lastSeen()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'type' must be 'tlswatch.fingerprint-posture/1'");
    }

    @Test
    void buildersGiveEachEventAFreshUuid() {
        HandshakeEvent first = validHandshake().build();
        HandshakeEvent second = validHandshake().build();

        assertThat(UUID.fromString(first.id())).isNotNull();
        assertThat(first.id()).isNotEqualTo(second.id());
    }

    @Test
    void instantsAreTruncatedToMillisecondsSoARecordEqualsItselfAfterJson() {
        HandshakeEvent event = validHandshake().time(Instant.parse("2025-03-14T09:26:53.589123456Z")).build();

        assertThat(event.time()).isEqualTo(Instant.parse("2025-03-14T09:26:53.589Z"));
    }

    @Test
    void listsAreCopiedOnTheWayInAndCannotBeChangedOnTheWayOut() {
        List<String> suites = new ArrayList<>(List.of("TLS_AES_128_GCM_SHA256"));
        ClientHelloSummary hello = helloBuilder().cipherSuites(suites).build();

        suites.add("TLS_RSA_WITH_RC4_128_MD5");

        assertThat(hello.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256");
        assertThatThrownBy(() -> hello.cipherSuites().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aHelloWrittenBeforeThePartialMarkReadsAsWhole() throws Exception {
        // given the JSON of a whole hello as written before the partial fields existed
        ObjectNode older = (ObjectNode) Json.reader().readTree(Json.writer().writeValueAsBytes(helloBuilder().build()));
        older.remove("partial");
        older.remove("failedExtension");

        // when
        ClientHelloSummary read = Json.reader().treeToValue(older, ClientHelloSummary.class);

        // then
        assertThat(read.partial()).isNull();
        assertThat(read.incomplete()).isFalse();
        assertThat(read).isEqualTo(helloBuilder().build());
    }

    @Test
    void aWholeHelloWritesNoPartialMark() throws Exception {
        JsonNode written = Json.reader().readTree(Json.writer().writeValueAsBytes(helloBuilder().build()));

        assertThat(written.has("partial")).isFalse();
        assertThat(written.has("failedExtension")).isFalse();
    }

    @Test
    void aPartialHelloNeedsItsFailedExtensionAndNoFingerprints() {
        ClientHelloSummary.Builder partial = ClientHelloSummary.builder().legacyVersion("TLSv1.2")
                .partial("signature_algorithms");

        assertThat(partial.build().incomplete()).isTrue();
        assertThat(partial.build().highestOfferedVersion()).isNull();
        assertThatThrownBy(() -> ClientHelloSummary.builder().legacyVersion("TLSv1.2").partial(null).build())
                .hasMessageStartingWith("field 'failedExtension'");
        assertThatThrownBy(() -> partial.ja4("t13d1011h2_61a7ad8aa9b6_78f1d400d464", "t13d1011h2_").build())
                .hasMessageStartingWith("field 'ja4'");
        // and a whole hello (partial absent) names no failed extension
        assertThatThrownBy(() -> new ClientHelloSummary("TLSv1.2", null, null, null, null, null, null, null, null,
                "TLSv1.2", "771,,,,", "0123456789abcdef0123456789abcdef", "t12i000000_000000000000_000000000000",
                "t12i000000__", null, "signature_algorithms"))
                .hasMessageStartingWith("field 'failedExtension'");
    }

    @Test
    void nullCollectionsBecomeEmpty() {
        ClientHelloSummary hello = helloBuilder().cipherSuites(null).alpn(null).build();
        ClientPosture posture = SampleEvents.clientPosture().toBuilder().ja4s(null).failuresByReason(null).build();

        assertThat(hello.cipherSuites()).isEmpty();
        assertThat(hello.alpn()).isEmpty();
        assertThat(posture.ja4s()).isEmpty();
        assertThat(posture.failuresByReason()).isEmpty();
    }

    @Test
    void aNullElementIsRefusedNamingTheField() {
        List<String> withNull = new ArrayList<>();
        withNull.add(null);

        assertThatThrownBy(() -> helloBuilder().alpn(withNull).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'alpn' must not contain null elements");
    }

    @Test
    void setsAreSortedAndMapsAreSortedAndUnmodifiable() {
        Map<String, Long> counts = new HashMap<>(Map.of("protocol_version", 3L, "no_shared_cipher", 1L));
        ClientPosture posture = SampleEvents.clientPosture().toBuilder()
                .addresses(List.of("198.51.100.9", "198.51.100.7", "198.51.100.9"))
                .failuresByReason(counts)
                .build();
        counts.clear();

        assertThat(posture.addresses()).containsExactly("198.51.100.7", "198.51.100.9");
        assertThat(posture.failuresByReason().keySet()).containsExactly("no_shared_cipher", "protocol_version");
        assertThatThrownBy(() -> posture.failuresByReason().put("x", 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThatThrownBy(() -> SampleEvents.clientPosture().toBuilder()
                .failuresByReason(Map.of("protocol_version", -1L)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failuresByReason");
    }

    @Test
    void aNegativeEvidenceCountIsRefusedNamingTheField() {
        assertThatThrownBy(() -> SampleEvents.clientPosture().toBuilder().evidence(1, -1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attributedEvidence");
    }

    @Test
    void aPostureRowWrittenBeforeTheEvidenceCountsReadsWithoutThem() throws Exception {
        ObjectNode old = (ObjectNode) Json.reader().readTree(JsonSerde.of(ClientPosture.class)
                .serialize("t", SampleEvents.clientPosture()));
        old.remove(List.of("firstHandEvidence", "attributedEvidence"));

        ClientPosture read = JsonSerde.of(ClientPosture.class)
                .deserialize("t", old.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(read.firstHandEvidence()).isNull();
        assertThat(read.attributedEvidence()).isNull();
        assertThat(read.posture()).isEqualTo(SampleEvents.clientPosture().posture());
    }

    @Test
    void aSuccessfulHandshakeNeedsWhatWasNegotiated() {
        assertThatThrownBy(() -> validHandshake().success(null).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'negotiated' is required");
    }

    @Test
    void aFailedHandshakeNeedsAReasonAndNothingNegotiated() {
        HandshakeEvent success = SampleEvents.handshakeSuccess();

        assertThatThrownBy(() -> validHandshake().failure(null, "boom").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'failureReason' is required");
        assertThatThrownBy(() -> new HandshakeEvent(HandshakeEvent.TYPE, "id", success.time(), success.source(),
                success.remoteAddress(), success.remotePort(), success.listener(), success.localPort(),
                HandshakeOutcome.FAILURE, success.tlsProvider(), 1.0, null, success.negotiated(),
                FailureReason.OTHER, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'negotiated' must be absent");
    }

    @Test
    void aHandshakeWithoutAClientHelloIsAllowedForPlainHttpOnTheTlsPort() {
        HandshakeEvent notTls = validHandshake().clientHello(null)
                .failure(FailureReason.NOT_TLS, "not an SSL/TLS record").build();

        assertThat(notTls.clientHello()).isNull();
        assertThat(notTls.succeeded()).isFalse();
    }

    @Test
    void aNegativeOrNonFiniteDurationIsRefused() {
        assertThatThrownBy(() -> validHandshake().durationMillis(-1).build())
                .hasMessageContaining("durationMillis");
        assertThatThrownBy(() -> validHandshake().durationMillis(Double.NaN).build())
                .hasMessageContaining("durationMillis");
    }

    @Test
    void aLicenseCheckIsValidExactlyWhenItsCodeIsValid() {
        LicenseCheckEvent valid = SampleEvents.licenseCheck();
        LicenseCheckEvent notFound = LicenseCheckEvent.builder().time(valid.time()).source(valid.source())
                .clientId("inst-1").code(LicenseCheckCode.NOT_FOUND)
                .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build();

        assertThat(valid.valid()).isTrue();
        assertThat(notFound.valid()).isFalse();
        assertThat(notFound.licenseId()).isNull();
        assertThat(notFound.proof()).isEqualTo(ProofKind.NONE);
    }

    @Test
    void aValidCheckNeedsItsLicenseAndOnlyAValidCheckHasAToken() {
        LicenseCheckEvent valid = SampleEvents.licenseCheck();

        assertThatThrownBy(() -> LicenseCheckEvent.builder().time(valid.time()).source(valid.source())
                .clientId("inst-1").code(LicenseCheckCode.VALID)
                .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build())
                .hasMessage("field 'licenseId' is required");
        // a valid check without proof (allowed by configuration) gets no token
        assertThat(LicenseCheckEvent.builder().time(valid.time()).source(valid.source())
                .clientId("inst-1").code(LicenseCheckCode.VALID).licenseId("lic-1")
                .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build().tokenExpiresAt())
                .isNull();
        assertThatThrownBy(() -> LicenseCheckEvent.builder().time(valid.time()).source(valid.source())
                .clientId("inst-1").code(LicenseCheckCode.EXPIRED).licenseId("lic-1")
                .tokenExpiresAt(valid.tokenExpiresAt())
                .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build())
                .hasMessageContaining("'tokenExpiresAt' must be absent");
    }

    @Test
    void eachCertificateEventKindNeedsWhatAReaderActsOn() {
        CertificateEvent rotated = SampleEvents.certificateRotated();

        assertThatThrownBy(() -> new CertificateEvent(CertificateEvent.TYPE, "id", rotated.time(), rotated.source(),
                "validator", CertificateEventKind.EXPIRING, "01", null, null, null, null, null, null, null, null,
                null)).hasMessage("field 'thresholdDays' is required");
        assertThatThrownBy(() -> new CertificateEvent(CertificateEvent.TYPE, "id", rotated.time(), rotated.source(),
                "validator", CertificateEventKind.OCSP_REFRESHED, "01", null, null, null, null, null, null, null,
                null, new OcspInfo(null, null, null, "http://ocsp.example.com", null)))
                .hasMessage("field 'ocsp.status' is required");
        CertificateEvent refusedUnparseable = new CertificateEvent(CertificateEvent.TYPE, "id", rotated.time(),
                rotated.source(), "validator", CertificateEventKind.ROTATION_REFUSED, null, null, null, null, null,
                null, "4f1c9a7be2d05e83", "truncated PEM: no END CERTIFICATE line", null, null);
        assertThat(refusedUnparseable.serial()).isNull();
    }

    @Test
    void aSha256IsLowercaseHex() {
        assertThatThrownBy(() -> new ClientCertificate("CN=x", "AB".repeat(32), Instant.EPOCH))
                .hasMessageContaining("field 'sha256' must be 64 lowercase hex digits");
    }

    @Test
    void aNativeReportNeedsAClientIdAndANelReportItsNelBody() {
        ClientReportEvent sample = SampleEvents.clientReport();

        assertThatThrownBy(() -> copyReport(sample).clientId(null).build())
                .hasMessage("field 'clientId' is required");
        assertThatThrownBy(() -> copyReport(sample).format(ReportFormat.NEL).build())
                .hasMessage("field 'nel' is required");
    }

    @Test
    void aReportsSignerIsAThumbprintAndOnlyAnAuthenticatedReportHasOne() {
        ClientReportEvent sample = SampleEvents.clientReport();

        assertThat(sample.signerJkt()).isEqualTo(SampleEvents.STUCK_CLIENT_JKT);
        assertThat(copyReport(sample).authenticated(false).build().signerJkt()).isNull();
        assertThatThrownBy(() -> copyReport(sample).signedBy("AB".repeat(32)).build())
                .hasMessageContaining("field 'signerJkt' must be an RFC 7638 SHA-256 thumbprint");
        assertThatThrownBy(() -> new ClientReportEvent(sample.type(), sample.id(), sample.time(), sample.source(),
                sample.reportId(), sample.clientId(), null, sample.format(), sample.occurredAt(),
                sample.receivedAt(), null, sample.errorClass(), null, null, null, null, null, null,
                sample.remoteAddress(), sample.arrival(), false, SampleEvents.STUCK_CLIENT_JKT, null, null, null))
                .hasMessage("field 'signerJkt' must be absent unless authenticated");
    }

    @Test
    void aProofThumbprintComesOnlyWithADpopProof() {
        LicenseCheckEvent sample = SampleEvents.licenseCheck();

        assertThat(sample.proofJkt()).isEqualTo(SampleEvents.HEALTHY_CLIENT_JKT);
        assertThatThrownBy(() -> new LicenseCheckEvent(sample.type(), sample.id(), sample.time(), sample.source(),
                sample.clientId(), sample.licenseId(), sample.code(), sample.tokenExpiresAt(), sample.graceUntil(),
                ProofKind.MTLS, sample.proofJkt(), sample.remoteAddress(), sample.tlsProtocol(),
                sample.cipherSuite(), sample.ja4(), sample.latencyMillis(), sample.sdk(), null, null, null))
                .hasMessage("field 'proofJkt' must be absent unless proof is dpop");
        assertThatThrownBy(() -> LicenseCheckEvent.builder().time(sample.time()).source(sample.source())
                .clientId("inst-1").code(LicenseCheckCode.NOT_FOUND).dpopVerified("not-a-thumbprint")
                .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build())
                .hasMessageContaining("field 'proofJkt' must be an RFC 7638 SHA-256 thumbprint");
    }

    @Test
    void aClockOffsetComesOnlyWithADpopProofWhetherItVerifiedOrNot() {
        LicenseCheckEvent refused = SampleEvents.licenseCheckRefused();

        assertThat(refused.proofClockOffset()).isEqualTo(7_200L);
        assertThat(refused.proofJkt()).isNull();
        assertThat(SampleEvents.licenseCheck().proofClockOffset()).isEqualTo(1L);
        assertThatThrownBy(() -> LicenseCheckEvent.builder().time(refused.time()).source(refused.source())
                .clientId("inst-1").code(LicenseCheckCode.PROOF_REQUIRED).proof(ProofKind.NONE)
                .proofClockOffset(-3L).refusal("missing")
                .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build())
                .hasMessage("field 'proofClockOffset' must be absent unless proof is dpop");
    }

    @Test
    void aRefusalIsLowercaseSnakeCaseAndOnlyOnARefusedCheck() {
        LicenseCheckEvent valid = SampleEvents.licenseCheck();

        assertThat(valid.refusal()).isNull();
        assertThat(SampleEvents.licenseCheckRefused().refusal()).isEqualTo("iat_out_of_window");
        assertThatThrownBy(() -> LicenseCheckEvent.builder().time(valid.time()).source(valid.source())
                .clientId("inst-1").code(LicenseCheckCode.VALID).licenseId("lic-1").refusal("expired")
                .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build())
                .hasMessage("field 'refusal' must be absent when code is VALID");
        for (String bad : new String[] {"IAT_OUT_OF_WINDOW", "iat out of window", "", "_x", "a".repeat(65)}) {
            assertThatThrownBy(() -> LicenseCheckEvent.builder().time(valid.time()).source(valid.source())
                    .clientId("inst-1").code(LicenseCheckCode.EXPIRED).licenseId("lic-1").refusal(bad)
                    .connection("192.0.2.1", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build())
                    .as("refusal '%s'", bad)
                    .hasMessageContaining("field 'refusal' must be lowercase snake_case");
        }
    }

    @Test
    void checksWrittenBeforeTheClockOffsetAndRefusalStillRead() throws Exception {
        // given what a validator older than proofClockOffset and refusal wrote for a refused check
        ObjectNode check = (ObjectNode) Json.reader().readTree(Json.writer().writeValueAsBytes(
                SampleEvents.licenseCheckRefused()));
        check.remove("proofClockOffset");
        check.remove("refusal");

        // when a current consumer reads it
        LicenseCheckEvent read = JsonSerde.forEvent(LicenseCheckEvent.class)
                .deserialize("t", check.toString().getBytes(StandardCharsets.UTF_8));

        // then it reads, refused without a known reason or offset
        assertThat(read.code()).isEqualTo(LicenseCheckCode.PROOF_INVALID);
        assertThat(read.proofClockOffset()).isNull();
        assertThat(read.refusal()).isNull();
    }

    @Test
    void eventsWrittenBeforeTheThumbprintFieldsStillRead() throws Exception {
        // given what a collector and a validator older than signerJkt and proofJkt wrote
        ObjectNode report = (ObjectNode) Json.reader().readTree(Json.writer().writeValueAsBytes(
                SampleEvents.clientReport()));
        report.remove("signerJkt");
        ObjectNode check = (ObjectNode) Json.reader().readTree(Json.writer().writeValueAsBytes(
                SampleEvents.licenseCheck()));
        check.remove("proofJkt");

        // when a current consumer reads them
        ClientReportEvent readReport = JsonSerde.forEvent(ClientReportEvent.class)
                .deserialize("t", report.toString().getBytes(StandardCharsets.UTF_8));
        LicenseCheckEvent readCheck = JsonSerde.forEvent(LicenseCheckEvent.class)
                .deserialize("t", check.toString().getBytes(StandardCharsets.UTF_8));

        // then they read, authenticated without a known signer and dpop without a known key
        assertThat(readReport.authenticated()).isTrue();
        assertThat(readReport.signerJkt()).isNull();
        assertThat(readCheck.proof()).isEqualTo(ProofKind.DPOP);
        assertThat(readCheck.proofJkt()).isNull();
    }

    @Test
    void eventsWrittenBeforeTheViaFieldStillReadAsDirectConnections() throws Exception {
        // given what a validator and a collector older than the PROXY protocol support wrote
        ObjectNode handshake = withoutVia(SampleEvents.handshakeSuccess());
        ObjectNode check = withoutVia(SampleEvents.licenseCheck());
        ObjectNode report = withoutVia(SampleEvents.clientReport());

        // when a current consumer reads them
        HandshakeEvent readHandshake = JsonSerde.forEvent(HandshakeEvent.class)
                .deserialize("t", handshake.toString().getBytes(StandardCharsets.UTF_8));
        LicenseCheckEvent readCheck = JsonSerde.forEvent(LicenseCheckEvent.class)
                .deserialize("t", check.toString().getBytes(StandardCharsets.UTF_8));
        ClientReportEvent readReport = JsonSerde.forEvent(ClientReportEvent.class)
                .deserialize("t", report.toString().getBytes(StandardCharsets.UTF_8));

        // then they read, with no proxy and the address they always had
        assertThat(readHandshake.via()).isNull();
        assertThat(readHandshake.remoteAddress()).isEqualTo(SampleEvents.handshakeSuccess().remoteAddress());
        assertThat(readCheck.via()).isNull();
        assertThat(readReport.via()).isNull();
    }

    @Test
    void theProxysAddressTravelsBesideTheClientsAndIsNeverBlank() throws Exception {
        HandshakeEvent proxied = validHandshake().via("10.0.4.17").build();

        HandshakeEvent read = JsonSerde.forEvent(HandshakeEvent.class).deserialize("t",
                JsonSerde.forEvent(HandshakeEvent.class).serialize("t", proxied));

        assertThat(read.via()).isEqualTo("10.0.4.17");
        assertThat(read.remoteAddress()).isEqualTo("192.0.2.1");
        assertThat(read.key()).as("keyed by the client, not the proxy").isEqualTo("192.0.2.1");
        assertThatThrownBy(() -> validHandshake().via(" ").build()).hasMessage("field 'via' must not be blank");
        assertThatThrownBy(() -> copyReport(SampleEvents.clientReport()).via("").build())
                .hasMessage("field 'via' must not be blank");
    }

    private static ObjectNode withoutVia(Event event) throws Exception {
        ObjectNode tree = (ObjectNode) Json.reader().readTree(Json.writer().writeValueAsBytes(event));
        assertThat(tree.has("via")).as("the sample has a via to remove").isTrue();
        tree.remove("via");
        return tree;
    }

    @Test
    void aPostureRowWrittenBeforeThePendingFieldsStillReadsWithNothingPending() throws Exception {
        // given a row as a streams job older than pendingPosture and lapsesAt wrote it
        ObjectNode row = (ObjectNode) Json.reader().readTree(Json.writer().writeValueAsBytes(
                SampleEvents.clientPosture()));
        row.remove("lapsesAt");

        // when a current consumer reads it
        ClientPosture read = JsonSerde.forEvent(ClientPosture.class)
                .deserialize("t", row.toString().getBytes(StandardCharsets.UTF_8));

        // then nothing is pending and the lapse is unknown
        assertThat(read.pendingPosture()).isNull();
        assertThat(read.pendingSince()).isNull();
        assertThat(read.pendingReasons()).isEmpty();
        assertThat(read.lapsesAt()).isNull();
    }

    @Test
    void aPendingJudgementTravelsWithItsSinceAndReasonsAndIsAbsentWhenNothingIsPending() throws Exception {
        ClientPosture pending = SampleEvents.clientPosture().toBuilder()
                .pending(Posture.STUCK, SampleEvents.NOW, List.of("old_trust_store:3")).build();

        JsonNode written = Json.reader().readTree(Json.writer().writeValueAsBytes(pending));
        JsonNode none = Json.reader().readTree(Json.writer().writeValueAsBytes(SampleEvents.clientPosture()));

        assertThat(written.get("pendingPosture").asText()).isEqualTo("stuck");
        assertThat(written.get("pendingReasons").get(0).asText()).isEqualTo("old_trust_store:3");
        assertThat(JsonSerde.forEvent(ClientPosture.class).deserialize("t", Json.writer().writeValueAsBytes(pending)))
                .isEqualTo(pending);
        assertThat(none.has("pendingPosture")).isFalse();
        assertThat(none.has("pendingSince")).isFalse();
        assertThat(none.has("pendingReasons")).as("absent, not []").isFalse();
    }

    @Test
    void aPendingPostureNeedsItsSince() {
        assertThatThrownBy(() -> SampleEvents.clientPosture().toBuilder()
                .pending(Posture.STUCK, null, List.of()).build())
                .hasMessage("fields 'pendingPosture' and 'pendingSince' go together");
        assertThatThrownBy(() -> SampleEvents.clientPosture().toBuilder()
                .pending(null, null, List.of("old_trust_store:1")).build())
                .hasMessageContaining("pendingReasons");
    }

    @Test
    void aResolvedAlertNeedsItsEndAndAFiringOneHasNone() {
        AlertEvent firing = SampleEvents.alertFiring();

        assertThatThrownBy(() -> firing.toBuilder().status(AlertStatus.RESOLVED).build())
                .hasMessage("field 'endsAt' is required");
        assertThatThrownBy(() -> firing.toBuilder().endsAt(firing.time()).build())
                .hasMessageContaining("'endsAt' must be absent while firing");
    }

    @Test
    void resolvingAnAlertKeepsItsDedupKeyAndStartWithAFreshId() {
        AlertEvent firing = SampleEvents.alertFiring();
        Instant recovered = firing.time().plus(Duration.ofHours(3));

        AlertEvent resolved = firing.toBuilder().time(recovered).resolved(recovered).build();

        assertThat(resolved.dedupKey()).isEqualTo(firing.dedupKey());
        assertThat(resolved.startsAt()).isEqualTo(firing.startsAt());
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.id()).isNotEqualTo(firing.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Client-Posture", "client posture", "1st", ""})
    void anAlertKindIsLowercaseSnakeCase(String kind) {
        assertThatThrownBy(() -> SampleEvents.alertFiring().toBuilder().kind(kind).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'kind'");
    }

    @Test
    void anAlertWithoutEvidenceHasEmptyEvidence() {
        AlertEvent alert = SampleEvents.alertFiring().toBuilder().evidence(null).build();

        assertThat(alert.evidence()).isEqualTo(AlertEvidence.none());
        assertThat(alert.evidence().lastErrors()).isEmpty();
    }

    @Test
    void aLicenseKeyIsStoredOnlyAsItsSha256() {
        LicenseRecord license = SampleEvents.license().toBuilder().licenseKey("abc").build();

        assertThat(license.keyHash()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(LicenseRecord.keyHashOf("abc")).isEqualTo(license.keyHash());
    }

    @Test
    void aLicenseIsActiveOnlyWithinItsDatesAndWhileItsStatusIsActive() {
        LicenseRecord license = SampleEvents.license();

        assertThat(license.activeAt(Instant.parse("2025-06-01T00:00:00Z"))).isTrue();
        assertThat(license.activeAt(Instant.parse("2024-12-31T23:59:59Z"))).isFalse();
        assertThat(license.activeAt(license.notAfter())).isFalse();
        assertThat(license.toBuilder().status(LicenseRecordStatus.SUSPENDED).build()
                .activeAt(Instant.parse("2025-06-01T00:00:00Z"))).isFalse();
        assertThat(license.toBuilder().notAfter(null).build().activeAt(Instant.parse("2099-01-01T00:00:00Z")))
                .as("no not-after: never expires").isTrue();
    }

    @Test
    void aLicenseRefusesImpossibleValues() {
        LicenseRecord license = SampleEvents.license();

        assertThatThrownBy(() -> license.toBuilder().maxMachines(0).build()).hasMessageContaining("maxMachines");
        assertThatThrownBy(() -> license.toBuilder().notAfter(license.notBefore()).build())
                .hasMessageContaining("notAfter");
        assertThatThrownBy(() -> license.toBuilder().gracePeriod(Duration.ofHours(-1)).build())
                .hasMessageContaining("gracePeriod");
    }

    @Test
    void enumsTravelAsLowercaseSnakeCaseExceptLicenseCheckCodes() throws Exception {
        for (Class<? extends Enum<?>> type : enums()) {
            for (Enum<?> constant : type.getEnumConstants()) {
                String json = Json.writer().writeValueAsString(constant);
                String expected = type == LicenseCheckCode.class ? constant.name() : constant.name().toLowerCase();

                assertThat(json).as(type.getSimpleName() + "." + constant.name()).isEqualTo("\"" + expected + "\"");
                assertThat(Json.readerFor(type).<Object>readValue(json)).isEqualTo(constant);
            }
        }
    }

    @Test
    void theDocumentedSpellingsAreThoseOfTheBrief() throws Exception {
        assertThat(Json.writer().writeValueAsString(Posture.AT_RISK)).isEqualTo("\"at_risk\"");
        assertThat(Json.writer().writeValueAsString(FailureReason.CERTIFICATE_EXPIRED))
                .isEqualTo("\"certificate_expired\"");
        assertThat(Json.writer().writeValueAsString(CertificateEventKind.ROTATION_REFUSED))
                .isEqualTo("\"rotation_refused\"");
        assertThat(Json.writer().writeValueAsString(LicenseCheckCode.TOO_MANY_MACHINES))
                .isEqualTo("\"TOO_MANY_MACHINES\"");
        assertThat(FailureReason.values()).extracting(r -> r.name().toLowerCase()).containsExactly(
                "protocol_version", "no_shared_cipher", "no_shared_group", "bad_certificate", "unknown_ca",
                "certificate_expired", "handshake_timeout", "not_tls", "closed_by_client", "other");
    }

    @Test
    void theSamplesFillEveryFieldOfEveryRecordSomewhere() throws Exception {
        // So that the round trip through a real broker and the docs' examples cover every field.
        Set<String> all = new TreeSet<>();
        Set<String> filled = new TreeSet<>();
        for (Event sample : SampleEvents.all()) {
            collect((Record) sample, all, filled);
        }

        assertThat(all).isNotEmpty();
        assertThat(filled).as("fields filled in some sample").containsAll(all);
    }

    @Test
    void theSampleTimestampsAreAlreadyInMilliseconds() throws Exception {
        for (Event sample : SampleEvents.all()) {
            JsonNode tree = Json.reader().readTree(Json.writer().writeValueAsBytes(sample));
            assertThat(tree.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }
    }

    private static void collect(Record record, Set<String> all, Set<String> filled) throws Exception {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            String name = record.getClass().getSimpleName() + "." + component.getName();
            all.add(name);
            Object value = component.getAccessor().invoke(record);
            boolean present = value != null
                    && !(value instanceof java.util.Collection<?> c && c.isEmpty())
                    && !(value instanceof Map<?, ?> m && m.isEmpty());
            if (present) {
                filled.add(name);
            }
            if (value instanceof Record nested) {
                collect(nested, all, filled);
            }
        }
    }

    private static HandshakeEvent.Builder validHandshake() {
        return HandshakeEvent.builder()
                .time(SampleEvents.NOW)
                .source("validator@test")
                .remote("192.0.2.1", 50000)
                .listener("validator", 8443)
                .tlsProvider(TlsProvider.JDK)
                .durationMillis(2.5)
                .clientHello(SampleEvents.modernClientHello())
                .success(new NegotiatedTls("TLSv1.3", "TLS_AES_128_GCM_SHA256", null, null, false, null));
    }

    private static ClientHelloSummary.Builder helloBuilder() {
        return ClientHelloSummary.builder().legacyVersion("TLSv1.2").highestOfferedVersion("TLSv1.2")
                .ja3("771,,,,", "0123456789abcdef0123456789abcdef").ja4("t12i000000_000000000000_000000000000",
                        "t12i000000__");
    }

    private static ClientReportEvent.Builder copyReport(ClientReportEvent r) {
        return ClientReportEvent.builder().time(r.time()).source(r.source()).reportId(r.reportId())
                .clientId(r.clientId()).format(r.format()).occurredAt(r.occurredAt()).receivedAt(r.receivedAt())
                .error(r.errorClass(), r.message()).remoteAddress(r.remoteAddress()).arrival(r.arrival());
    }
}
