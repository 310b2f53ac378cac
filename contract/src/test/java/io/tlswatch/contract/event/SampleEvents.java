package io.tlswatch.contract.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One realistic sample of every event type, every field filled somewhere, telling one story: a fleet under
 * license {@code lic-0042}, where {@code inst-7f3a9c2e} runs a modern JDK and validates fine, while
 * {@code inst-2b91d04a} is stuck on Java 7 (TLS 1.0 only) and its license grace is running out. The validator
 * runs behind a TCP load balancer ({@code 10.0.4.17}) and the collector behind another ({@code 10.0.5.9}), both
 * sending PROXY headers; browsers' NEL reports reach the collector directly.
 *
 * <p>docs/events.md shows exactly these samples as its JSON examples; a test keeps the two equal. The
 * ClientHello fingerprints are computed from the listed code points by the JA3 and JA4 specifications.
 */
public final class SampleEvents {

    public static final Instant NOW = Instant.parse("2025-03-14T09:26:53.589Z");

    public static final String HEALTHY_CLIENT = "inst-7f3a9c2e";
    public static final String STUCK_CLIENT = "inst-2b91d04a";
    /** Runs a modern JDK on a machine whose clock is two hours ahead: every DPoP proof it makes is refused. */
    public static final String CLOCK_AHEAD_CLIENT = "inst-9d4e6a13";
    public static final String LICENSE_ID = "lic-0042";
    public static final String MODERN_JA4 = "t13d1011h2_61a7ad8aa9b6_78f1d400d464";
    public static final String JAVA7_JA4 = "t10d170300_d4b1867c498c_33a13ba74d1c";
    /** RFC 7638 thumbprints of each client's proof-of-possession key. */
    public static final String HEALTHY_CLIENT_JKT = "v0jhI0Q-ai3O-j9g53YQRviyxrPxfd7eElWg08odN4w";
    public static final String STUCK_CLIENT_JKT = "S9kHL8rQ2VhL8x7Ux7rZfQ48GSjMXuzINbqiogGSzC4";

    private static final String VALIDATOR = "validator@tlswatch-validator-0";
    private static final String COLLECTOR = "collector@tlswatch-collector-1";
    private static final String STREAMS = "streams@tlswatch-streams-0";
    private static final String SERVER_SHA256 = "9b2c6f0e4a81d37c5e62f8a19d04b7e3c6a58f21e90d4b7a3c16e8f52d0b9a47";

    private static final Instant LAST_VALID_CHECK = Instant.parse("2025-03-12T08:02:17.204Z");
    private static final Instant LAST_TOKEN_EXPIRY = Instant.parse("2025-03-12T08:17:17.204Z");
    private static final Instant GRACE_UNTIL = Instant.parse("2025-03-15T08:17:17.204Z");
    /** When the stuck client's grace came within the 48 h at-risk horizon. */
    private static final Instant AT_RISK_SINCE = GRACE_UNTIL.minus(Duration.ofHours(48));

    private SampleEvents() {
    }

    /** Every sample, at least one per event type. */
    public static List<Event> all() {
        return List.of(handshakeSuccess(), handshakeFailure(), handshakeFailurePartialHello(), licenseCheck(), licenseCheckRefused(),
                certificateRotated(),
                certificateExpiring(), certificateOcspRevoked(), clientReport(), clientReportNel(),
                clientPosture(), clientPosturePending(), fingerprintPosture(), alertFiring(), alertResolved(),
                alertCohort(), license(), policy(), machine(), adminToken(),
                alertDeadLetter(), alertDeadLetterUnreadable());
    }

    /** What a modern client (OpenSSL 3 based) offers. */
    public static ClientHelloSummary modernClientHello() {
        return ClientHelloSummary.builder()
                .legacyVersion("TLSv1.2")
                .supportedVersions(List.of("TLSv1.3", "TLSv1.2"))
                .cipherSuites(List.of("TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"))
                .extensions(List.of(0, 11, 10, 35, 16, 22, 23, 13, 43, 45, 51))
                .supportedGroups(List.of("x25519", "secp256r1", "x448", "secp521r1", "secp384r1"))
                .ecPointFormats(List.of(0, 1, 2))
                .signatureAlgorithms(List.of("ecdsa_secp256r1_sha256", "ecdsa_secp384r1_sha384",
                        "ecdsa_secp521r1_sha512", "ed25519", "ed448", "rsa_pss_pss_sha256", "rsa_pss_pss_sha384",
                        "rsa_pss_pss_sha512", "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512",
                        "rsa_pkcs1_sha256", "rsa_pkcs1_sha384", "rsa_pkcs1_sha512"))
                .alpn(List.of("h2", "http/1.1"))
                .sni("licenses.example.com")
                .highestOfferedVersion("TLSv1.3")
                .ja3("771,4866-4867-4865-49196-49200-52393-52392-49195-49199-255,0-11-10-35-16-22-23-13-43-45-51,"
                        + "29-23-30-25-24,0-1-2", "c232c49a14a5310a472c7ace1d03ca5d")
                .ja4(MODERN_JA4, "t13d1011h2_00ff,1301,1302,1303,c02b,c02c,c02f,c030,cca8,cca9_000a,000b,000d,"
                        + "0016,0017,0023,002b,002d,0033_0403,0503,0603,0807,0808,0809,080a,080b,0804,0805,0806,"
                        + "0401,0501,0601")
                .build();
    }

    /** What Java 7's default TLS client offers: TLS 1.0 only, CBC, RC4 and 3DES suites. */
    public static ClientHelloSummary java7ClientHello() {
        return ClientHelloSummary.builder()
                .legacyVersion("TLSv1")
                .cipherSuites(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA",
                        "TLS_ECDH_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
                        "TLS_DHE_DSS_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA",
                        "TLS_ECDHE_RSA_WITH_RC4_128_SHA", "TLS_RSA_WITH_RC4_128_SHA",
                        "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
                        "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
                        "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_RC4_128_MD5",
                        "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"))
                .extensions(List.of(10, 11, 0))
                .supportedGroups(List.of("secp256r1", "secp384r1", "secp521r1", "secp256k1"))
                .ecPointFormats(List.of(0))
                .sni("licenses.example.com")
                .highestOfferedVersion("TLSv1")
                .ja3("769,49161-49171-47-49156-49166-51-50-49159-49169-5-49160-49170-10-22-19-4-255,10-11-0,"
                        + "23-24-25-22,0", "3964c87b6080c3977b4391d04dce50b5")
                .ja4(JAVA7_JA4, "t10d170300_0004,0005,000a,0013,0016,002f,0032,0033,00ff,c004,c007,c008,c009,"
                        + "c00e,c011,c012,c013_000a,000b")
                .build();
    }

    public static HandshakeEvent handshakeSuccess() {
        return HandshakeEvent.builder()
                .id("0b6f3c52-8a1e-4d27-9f60-3e7d1c2a5b94")
                .time(NOW.minusMillis(2_113))
                .source(VALIDATOR)
                .remote("203.0.113.24", 51544)
                .listener("validator", 8443)
                .tlsProvider(TlsProvider.OPENSSL)
                .durationMillis(3.87)
                .clientHello(modernClientHello())
                .success(new NegotiatedTls("TLSv1.3", "TLS_AES_256_GCM_SHA384", "x25519", "http/1.1", false,
                        new ClientCertificate("CN=" + HEALTHY_CLIENT + ",O=Acme Logistics GmbH",
                                "4e0d9a2f7c1b86e35d2a0f9c8b7e6d5a4c3b2a19f8e7d6c5b4a3928170f6e5d4",
                                Instant.parse("2025-06-12T00:00:00.000Z"))))
                .via("10.0.4.17")
                .build();
    }

    public static HandshakeEvent handshakeFailure() {
        return HandshakeEvent.builder()
                .id("5d8e2a17-c4b9-4f03-8e61-a7b2c9d0e3f4")
                .time(NOW.minusSeconds(74))
                .source(VALIDATOR)
                .remote("198.51.100.7", 40112)
                .listener("validator", 8443)
                .tlsProvider(TlsProvider.OPENSSL)
                .durationMillis(1.21)
                .clientHello(java7ClientHello())
                .failure(FailureReason.PROTOCOL_VERSION,
                        "error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL")
                .via("10.0.4.17")
                .build();
    }

    /**
     * The modern client's hello with its signature_algorithms extension malformed (as conformance suites do it):
     * read up to that extension, without fingerprints, and refused with decode_error.
     */
    public static HandshakeEvent handshakeFailurePartialHello() {
        return HandshakeEvent.builder()
                .id("c3a9e1f7-5b2d-4c86-a0e4-6f1d8b3c7a25")
                .time(NOW.minusSeconds(31))
                .source(VALIDATOR)
                .remote("192.0.2.44", 38210)
                .listener("validator", 8443)
                .tlsProvider(TlsProvider.OPENSSL)
                .durationMillis(0.64)
                .clientHello(ClientHelloSummary.builder()
                        .legacyVersion("TLSv1.2")
                        .cipherSuites(modernClientHello().cipherSuites())
                        .extensions(List.of(0, 11, 10, 35, 16, 22, 23))
                        .supportedGroups(modernClientHello().supportedGroups())
                        .ecPointFormats(modernClientHello().ecPointFormats())
                        .alpn(modernClientHello().alpn())
                        .sni("licenses.example.com")
                        .partial("signature_algorithms")
                        .build())
                .failure(FailureReason.OTHER, "error:10000095:SSL routines:OPENSSL_internal:ERROR_PARSING_EXTENSION"
                        + " (server sent decode_error)")
                .build();
    }

    public static LicenseCheckEvent licenseCheck() {
        Instant at = NOW.minusMillis(2_098);
        Instant tokenExpiry = at.plus(Duration.ofMinutes(15));
        return LicenseCheckEvent.builder()
                .id("e41c7b09-2f5a-4e8d-b3c6-91a0d8f27e5b")
                .time(at)
                .source(VALIDATOR)
                .clientId(HEALTHY_CLIENT)
                .licenseId(LICENSE_ID)
                .code(LicenseCheckCode.VALID)
                .tokenExpiresAt(tokenExpiry)
                .graceUntil(tokenExpiry.plus(Duration.ofHours(72)))
                .dpopVerified(HEALTHY_CLIENT_JKT)
                .proofClockOffset(1L)
                .connection("203.0.113.24", "TLSv1.3", "TLS_AES_256_GCM_SHA384", MODERN_JA4)
                .latencyMillis(2.64)
                .sdk(new SdkInfo("tlswatch-java", "0.1.0",
                        new RuntimeInfo("OpenJDK Runtime Environment", "21.0.6+7-LTS", "Eclipse Adoptium"),
                        "Linux 6.8.0 amd64"))
                .via("10.0.4.17")
                .build();
    }

    /** A DPoP proof made on a clock two hours ahead: refused, and the event says by how much. */
    public static LicenseCheckEvent licenseCheckRefused() {
        return LicenseCheckEvent.builder()
                .id("7a1d3c5e-9b2f-4e60-8d17-c3b5a9e0f246")
                .time(NOW.minusMillis(1_412))
                .source(VALIDATOR)
                .clientId(CLOCK_AHEAD_CLIENT)
                .licenseId(LICENSE_ID)
                .code(LicenseCheckCode.PROOF_INVALID)
                .proof(ProofKind.DPOP)
                .proofClockOffset(7_200L)
                .refusal("iat_out_of_window")
                .connection("198.51.100.73", "TLSv1.3", "TLS_AES_256_GCM_SHA384", MODERN_JA4)
                .latencyMillis(0.87)
                .build();
    }

    public static CertificateEvent certificateRotated() {
        return servingCertificate()
                .id("a3f95e10-7c2d-4b86-9e4f-0d1c2b3a4e5f")
                .time(Instant.parse("2025-03-14T06:00:04.117Z"))
                .kind(CertificateEventKind.ROTATED)
                .previousSerial("3a77d0c41e9f2b06")
                .build();
    }

    public static CertificateEvent certificateExpiring() {
        return servingCertificate()
                .id("c7d2e8f1-0a3b-4c5d-8e9f-1a2b3c4d5e6f")
                .time(Instant.parse("2025-05-29T06:00:00.000Z"))
                .kind(CertificateEventKind.EXPIRING)
                .thresholdDays(14)
                .build();
    }

    public static CertificateEvent certificateOcspRevoked() {
        return servingCertificate()
                .id("f0e1d2c3-b4a5-4968-8776-5a4b3c2d1e0f")
                .time(Instant.parse("2025-03-20T11:42:10.350Z"))
                .kind(CertificateEventKind.OCSP_REVOKED)
                .reason("keyCompromise")
                .ocsp(new OcspInfo(OcspStatus.REVOKED, Instant.parse("2025-03-20T11:40:00.000Z"),
                        Instant.parse("2025-03-27T11:40:00.000Z"), "http://ocsp.example.com/r3",
                        Instant.parse("2025-03-20T11:31:52.000Z")))
                .build();
    }

    private static CertificateEvent.Builder servingCertificate() {
        return CertificateEvent.builder()
                .source(VALIDATOR)
                .certificateName("validator")
                .certificate("4f1c9a7be2d05e83", "CN=licenses.example.com",
                        "CN=Example Issuing CA R3,O=Example Corp,C=US",
                        Instant.parse("2025-03-14T05:00:00.000Z"), Instant.parse("2025-06-12T05:00:00.000Z"),
                        SERVER_SHA256);
    }

    /** A report from the stuck client, whose clock runs six minutes ahead. */
    public static ClientReportEvent clientReport() {
        Instant received = NOW.minusSeconds(31);
        return ClientReportEvent.builder()
                .id("2c4e6a80-b1d3-4f57-9a8c-e0f2a4b6c8d1")
                .time(received)
                .source(COLLECTOR)
                .reportId("7d3f9b21-64e0-4c8a-a5d2-1f0e9c8b7a63")
                .clientId(STUCK_CLIENT)
                .licenseId(LICENSE_ID)
                .format(ReportFormat.NATIVE)
                .occurredAt(received.plusSeconds(332))
                .receivedAt(received)
                .endpoint("https://licenses.example.com/v1/licenses/validate")
                .error("tls.version_or_cipher_mismatch",
                        "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version")
                .runtime(new RuntimeInfo("Java(TM) SE Runtime Environment", "1.7.0_80-b15", "Oracle Corporation"))
                .tls(new TlsStack("SunJSSE", "1.7", List.of("TLSv1"),
                        List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
                                "TLS_RSA_WITH_3DES_EDE_CBC_SHA")))
                .os("Windows Server 2008 R2 6.1 amd64")
                .appVersion("4.12.3")
                .clientTime(received.plusSeconds(372))
                .remoteAddress("198.51.100.7")
                .arrival(new Arrival("https", "TLSv1", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", JAVA7_JA4))
                .signedBy(STUCK_CLIENT_JKT)
                .flags(List.of(ClientReportEvent.FLAG_TIME_IN_FUTURE))
                .via("10.0.5.9")
                .build();
    }

    /** A browser's Network Error Logging report: no client id, so it is keyed by address. */
    public static ClientReportEvent clientReportNel() {
        Instant received = NOW.minusSeconds(12);
        return ClientReportEvent.builder()
                .id("9e8d7c6b-5a49-4382-a1f0-e9d8c7b6a594")
                .time(received.minusMillis(2_450))
                .source(COLLECTOR)
                .reportId("nel-6b1f0c9e2d4a8e73")
                .format(ReportFormat.NEL)
                .occurredAt(received.minusMillis(2_450))
                .receivedAt(received)
                .endpoint("https://licenses.example.com/portal")
                .error("tls.cert.authority_invalid", null)
                .remoteAddress("192.0.2.58")
                .arrival(new Arrival("http", null, null, null))
                .nel(new NelDetails("connection", "203.0.113.10", "http/1.1", 0, 143L,
                        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                + "Chrome/122.0.0.0 Safari/537.36"))
                .build();
    }

    public static ClientPosture clientPosture() {
        return ClientPosture.builder()
                .id("6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d")
                .time(NOW.minusSeconds(31))
                .source(STREAMS)
                .clientId(STUCK_CLIENT)
                .licenseId(LICENSE_ID)
                .posture(Posture.AT_RISK)
                .reasons(List.of("highest_offered_below:TLSv1.2", "repeated_failures:protocol_version",
                        "grace_ends_within:PT48H"))
                .since(AT_RISK_SINCE)
                .lastSeen(NOW.minusSeconds(31))
                .highestOfferedVersion("TLSv1")
                .highestNegotiatedVersion("TLSv1")
                .ja4s(List.of(JAVA7_JA4))
                .runtime(new RuntimeInfo("Java(TM) SE Runtime Environment", "1.7.0_80-b15", "Oracle Corporation"))
                .tls(new TlsStack("SunJSSE", "1.7", List.of("TLSv1"),
                        List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
                                "TLS_RSA_WITH_3DES_EDE_CBC_SHA")))
                .failuresByReason(Map.of("protocol_version", 14L))
                .reportsByErrorClass(Map.of("tls.version_or_cipher_mismatch", 3L))
                .lastValidCheck(LAST_VALID_CHECK)
                .entitlementExpiresAt(LAST_TOKEN_EXPIRY)
                .licenseGraceUntil(GRACE_UNTIL)
                .addresses(List.of("198.51.100.7"))
                .evidence(3, 14)
                .lapsesAt(GRACE_UNTIL)
                .build();
    }

    /**
     * A client first seen a minute ago, failing every handshake for an old trust store and never seen valid: the
     * rules judge it at risk at once, the committed posture waits out the minimum hold.
     */
    public static ClientPosture clientPosturePending() {
        Instant firstSeen = NOW.minusSeconds(75);
        return ClientPosture.builder()
                .id("0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f")
                .time(NOW.minusSeconds(15))
                .source(STREAMS)
                .clientId("inst-5c8e1d07")
                .posture(Posture.HEALTHY)
                .since(firstSeen)
                .lastSeen(NOW.minusSeconds(15))
                .highestOfferedVersion("TLSv1.3")
                .ja4s(List.of(MODERN_JA4))
                .failuresByReason(Map.of("unknown_ca", 2L))
                .reportsByErrorClass(Map.of("tls.cert.authority_invalid", 1L))
                .addresses(List.of("198.51.100.23"))
                .evidence(1, 2)
                .pending(Posture.AT_RISK, NOW.minusSeconds(45), List.of("old_trust_store:3", "never_validated"))
                .build();
    }

    public static FingerprintPosture fingerprintPosture() {
        return FingerprintPosture.builder()
                .id("1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b")
                .time(NOW.minusSeconds(74))
                .source(STREAMS)
                .ja4(JAVA7_JA4)
                .highestOfferedVersion("TLSv1")
                .outdated(true)
                .failures(37)
                .successes(5)
                .distinctAddresses(4)
                .distinctClients(3)
                .firstSeen(Instant.parse("2025-03-13T07:58:41.902Z"))
                .lastSeen(NOW.minusSeconds(74))
                .build();
    }

    /** Fired when the stuck client's grace came within the 48 h horizon, after a 5 minute hold. */
    public static AlertEvent alertFiring() {
        Instant firedAt = AT_RISK_SINCE.plus(Duration.ofMinutes(5));
        return AlertEvent.builder()
                .id("b8a7c6d5-e4f3-4a2b-8c1d-0e9f8a7b6c5d")
                .time(firedAt)
                .source(STREAMS)
                .dedupKey("tls-outdated:" + STUCK_CLIENT)
                .severity(Severity.CRITICAL)
                .kind(AlertEvent.KIND_CLIENT_POSTURE)
                .summary("Client " + STUCK_CLIENT + " is stuck on TLSv1 (Java 1.7.0_80); its license grace"
                        + " runs out in 47h55m")
                .clientId(STUCK_CLIENT)
                .posture(Posture.AT_RISK)
                .previousPosture(Posture.STUCK)
                .evidence(new AlertEvidence(
                        Map.of("protocol_version", 14L),
                        Map.of("tls.version_or_cipher_mismatch", 3L),
                        List.of("javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version",
                                "error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL"),
                        Set.of(JAVA7_JA4),
                        "TLSv1",
                        "TLSv1",
                        new RuntimeInfo("Java(TM) SE Runtime Environment", "1.7.0_80-b15", "Oracle Corporation"),
                        new TlsStack("SunJSSE", "1.7", List.of("TLSv1"), List.of()),
                        LAST_TOKEN_EXPIRY,
                        Duration.between(firedAt, GRACE_UNTIL),
                        GRACE_UNTIL,
                        null))
                .startsAt(AT_RISK_SINCE)
                .build();
    }

    public static AlertEvent alertResolved() {
        Instant resolvedAt = Instant.parse("2025-03-18T16:05:12.930Z");
        return AlertEvent.builder()
                .id("d4c3b2a1-0f9e-4d8c-b7a6-5f4e3d2c1b0a")
                .time(resolvedAt)
                .source(STREAMS)
                .dedupKey("fingerprint-outdated:" + JAVA7_JA4)
                .resolved(resolvedAt)
                .severity(Severity.WARNING)
                .kind(AlertEvent.KIND_FINGERPRINT_OUTDATED)
                .summary("Outdated TLS fingerprint " + JAVA7_JA4 + " (TLSv1 only) is down to 1 client, below"
                        + " the threshold of 3")
                .ja4(JAVA7_JA4)
                .evidence(new AlertEvidence(null, null, null, null, "TLSv1", null, null, null, null, null, null, 1L))
                .startsAt(Instant.parse("2025-03-13T09:12:30.006Z"))
                .build();
    }

    /**
     * The notifier's cohort page for 21 clients turning stuck on the firing alert's stack within 40 seconds, the
     * first of them that alert's client (docs/alerting.md, "Cohorts"). The notifier's doc test checks that this is
     * what it sends.
     */
    public static AlertEvent alertCohort() {
        AlertEvent first = alertFiring();
        String cause = "ja4:" + JAVA7_JA4;
        String query = "http://tlswatch-streams:9403/v1/clients?posture=stuck&ja4=" + JAVA7_JA4;
        List<String> clients = List.of("inst-2b91d04a", "inst-2b91d04b", "inst-2b91d04c", "inst-2b91d04d",
                "inst-2b91d04e", "inst-2b91d04f", "inst-2b91d050", "inst-2b91d051", "inst-2b91d052", "inst-2b91d053");
        return AlertEvent.builder()
                .id("f4f057db-163c-390a-89dc-d2c4eddc8dae")
                .time(first.time().plusSeconds(40))
                .source("notifier@notifier-0")
                .dedupKey("tls-cohort:" + cause)
                .severity(Severity.WARNING)
                .kind(AlertEvent.KIND_CLIENT_COHORT)
                .summary("21 clients cannot complete a TLS handshake with the license server for one cause, " + cause
                        + " (" + String.join(", ", clients) + ", ...); all of them: " + query)
                .ja4(JAVA7_JA4)
                .posture(Posture.STUCK)
                .evidence(new AlertEvidence(
                        Map.of("protocol_version", 21 * 14L),
                        Map.of("tls.version_or_cipher_mismatch", 21 * 3L),
                        first.evidence().lastErrors(),
                        Set.of(JAVA7_JA4),
                        "TLSv1",
                        "TLSv1",
                        first.evidence().runtime(),
                        first.evidence().tls(),
                        null, null, null,
                        21L,
                        cause,
                        clients,
                        query))
                .startsAt(first.startsAt())
                .build();
    }

    /** The firing alert, refused by a PagerDuty target after a throttled attempt and a 400. */
    public static AlertDeadLetter alertDeadLetter() {
        AlertEvent alert = alertFiring();
        Instant first = alert.time().plusMillis(412);
        return AlertDeadLetter.undelivered("0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", first.plusMillis(2_388),
                "notifier@tlswatch-notifier-0", alert, DeadLetterReason.REJECTED, "oncall", "pagerduty",
                List.of(new DeliveryAttempt(1, first, DeliveryOutcome.RATE_LIMITED, 429, "Too Many Requests",
                                Duration.ofSeconds(2)),
                        new DeliveryAttempt(2, first.plusMillis(2_388), DeliveryOutcome.REJECTED, 400,
                                "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}",
                                null)));
    }

    /** A record on the alerts topic of a newer major version than this notifier reads. */
    public static AlertDeadLetter alertDeadLetterUnreadable() {
        return AlertDeadLetter.unreadable("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9",
                Instant.parse("2025-03-14T09:30:00.000Z"), "notifier@tlswatch-notifier-0",
                "tls-outdated:" + STUCK_CLIENT, "{\"type\":\"tlswatch.alert/2\",\"id\":\"e0f1\"}",
                "topic tlswatch.alerts.v1: cannot deserialize AlertEvent: type 'tlswatch.alert/2' is not the"
                        + " expected 'tlswatch.alert/1'");
    }

    public static LicenseRecord license() {
        return LicenseRecord.builder()
                .id("8f7e6d5c-4b3a-4291-8071-6f5e4d3c2b1a")
                .time(Instant.parse("2025-01-02T14:03:27.512Z"))
                .source("licenses@admin-laptop-jdoe")
                .licenseId(LICENSE_ID)
                .customer("Acme Logistics GmbH")
                .plan("enterprise")
                .entitlements(List.of("reporting", "fleet-sync", "offline-mode"))
                .maxMachines(25)
                .notBefore(Instant.parse("2025-01-01T00:00:00.000Z"))
                .notAfter(Instant.parse("2026-01-01T00:00:00.000Z"))
                .status(LicenseRecordStatus.ACTIVE)
                .gracePeriod(Duration.ofHours(72))
                .licenseKey("TLSW-4Q7M-9XK2-PD3V-H8RJ-6FNC-WB5T")
                .policyId("floating-25")
                .overrides(new PolicyTerms(null, null, null, null, null, Duration.ofHours(72), null, null, null))
                .operator("crm-sync")
                .reason("renewed for 2025, order 4711")
                .build();
    }

    /** A policy that sets every term. */
    public static PolicyRecord policy() {
        return new PolicyRecord(PolicyRecord.TYPE, "3c1d9e2f-6a7b-4c8d-9e0f-1a2b3c4d5e6f",
                Instant.parse("2024-12-20T10:15:00.000Z"), "validator@licenses-1", "floating-25", "Floating, 25 seats",
                new PolicyTerms(25, Duration.ofHours(24), Duration.ofMinutes(10), HeartbeatLapse.DEACTIVATE,
                        Duration.ofMinutes(15), Duration.ofHours(24), true, MachineActivation.ON_CHECK,
                        List.of("reporting", "fleet-sync", "offline-mode")),
                "crm-sync", "the 2025 price list");
    }

    /** A machine an operator deactivated after its heartbeats had started: every field filled. */
    public static MachineRecord machine() {
        return new MachineRecord(MachineRecord.TYPE, "0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
                Instant.parse("2025-03-12T09:31:02.118Z"), "validator@licenses-2", LICENSE_ID,
                "6f1c2a9e-8d4b-4e3f-9a7c-5b0d1e2f3a4b", "dispatch-07", MachineStatus.DEACTIVATED,
                Instant.parse("2025-03-01T07:12:44.006Z"), Instant.parse("2025-03-12T08:02:17.204Z"),
                Instant.parse("2025-03-12T09:01:02.118Z"), Instant.parse("2025-03-12T09:31:02.118Z"),
                MachineDeactivation.OPERATOR, "support-desk", "customer replaced the laptop (ticket 9931)");
    }

    public static AdminTokenRecord adminToken() {
        return new AdminTokenRecord(AdminTokenRecord.TYPE, "5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c",
                Instant.parse("2024-12-20T09:00:00.000Z"), "admin-tokens@admin-laptop-jdoe", "tok_8KpZ3vQ1",
                "crm-sync", AdminScope.WRITE,
                "9c56cc51b374c3ba189210d5b6d4bf57790d351c96c47c02190ecf1e430635ab",
                Instant.parse("2025-12-20T09:00:00.000Z"), "jdoe@admin-laptop-jdoe");
    }
}
