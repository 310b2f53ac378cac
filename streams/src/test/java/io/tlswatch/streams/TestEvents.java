package io.tlswatch.streams;

import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.NegotiatedTls;
import io.tlswatch.contract.event.NelDetails;
import io.tlswatch.contract.event.ReportFormat;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.SdkInfo;
import io.tlswatch.contract.event.TlsProvider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Input events as the validator and collector write them, reduced to what a test varies. */
public final class TestEvents {

    public static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    /** A modern JDK's fingerprint: TLS 1.3 offered. */
    public static final String MODERN_JA4 = "t13d1516h2_8daaf6152771_02713d6af862";
    /** Java 7's: nothing above TLS 1.0 offered. */
    public static final String JAVA7_JA4 = "t10d170700_3a4a2da7fd80_1dcd6a1a8c5f";
    /** A TLS 1.2-only stack. */
    public static final String TLS12_JA4 = "t12d1809h2_f1b4a4c8f2b1_a8e2c4b1d9f0";
    public static final RuntimeInfo JAVA7 = new RuntimeInfo("Java(TM) SE Runtime Environment", "1.7.0_80-b15",
            "Oracle Corporation");
    public static final RuntimeInfo JAVA21 = new RuntimeInfo("OpenJDK Runtime Environment", "21.0.6+7-LTS",
            "Eclipse Adoptium");

    private TestEvents() {
    }

    /**
     * The RFC 7638 thumbprint of the proof-of-possession key of {@code clientId}'s SDK (the SDK keeps one key per
     * installation): a stand-in derived from the id, so that a client's checks and reports agree.
     */
    public static String jkt(String clientId) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(("key of " + clientId).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    public static Instant minutes(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    /** A valid check over TLS 1.3, with a token valid for {@code tokenLife} and 72 h of grace after it. */
    public static LicenseCheckEvent validCheck(String clientId, String address, Instant time, Duration tokenLife,
                                               Duration grace) {
        return check(clientId, address, time, "TLSv1.3", "TLS_AES_256_GCM_SHA384", MODERN_JA4)
                .tokenExpiresAt(time.plus(tokenLife)).graceUntil(time.plus(tokenLife).plus(grace)).build();
    }

    public static LicenseCheckEvent validCheck(String clientId, String address, Instant time) {
        return validCheck(clientId, address, time, Duration.ofMinutes(15), Duration.ofDays(30));
    }

    /**
     * A valid check from a TLS 1.2-only stack ({@link #TLS12_JA4}) with an AEAD suite: healthy today, and the
     * ClientHello it will fail with once the server's policy moves on (no shared cipher, no common version).
     */
    public static LicenseCheckEvent tls12Check(String clientId, String address, Instant time, Duration tokenLife,
                                               Duration grace) {
        return check(clientId, address, time, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", TLS12_JA4)
                .tokenExpiresAt(time.plus(tokenLife)).graceUntil(time.plus(tokenLife).plus(grace)).build();
    }

    public static LicenseCheckEvent tls12Check(String clientId, String address, Instant time) {
        return tls12Check(clientId, address, time, Duration.ofMinutes(15), Duration.ofDays(30));
    }

    public static LicenseCheckEvent.Builder check(String clientId, String address, Instant time, String protocol,
                                                  String cipher, String ja4) {
        return LicenseCheckEvent.builder().time(time).source("validator@test").clientId(clientId)
                .licenseId("lic-" + clientId).code(LicenseCheckCode.VALID).dpopVerified(jkt(clientId))
                .connection(address, protocol, cipher, ja4).latencyMillis(1.5)
                .sdk(new SdkInfo("tlswatch-java", "0.1.0", JAVA21, "Linux"));
    }

    /**
     * A check over TLS 1.3 the validator refused, as it writes one: a DPoP proof presented but not verified, the
     * proof's clock offset when it was read that far, the refusal reason.
     */
    public static LicenseCheckEvent refusedCheck(String clientId, String address, Instant time, LicenseCheckCode code,
                                                 String refusal, Long proofClockOffset) {
        return check(clientId, address, time, "TLSv1.3", "TLS_AES_256_GCM_SHA384", MODERN_JA4).code(code)
                .proofJkt(null).proofClockOffset(proofClockOffset).refusal(refusal).build();
    }

    public static HandshakeEvent failure(String address, Instant time, FailureReason reason, String offered,
                                         String ja4) {
        return HandshakeEvent.builder().time(time).source("validator@test").remote(address, 50_000)
                .listener("validator", 8443).tlsProvider(TlsProvider.JDK).durationMillis(3.0)
                .clientHello(hello(offered, ja4))
                .failure(reason, "Received fatal alert: " + reason.name().toLowerCase()).build();
    }

    /** A TLS 1.0-only client turned away for no common protocol version. */
    public static HandshakeEvent outdatedFailure(String address, Instant time) {
        return failure(address, time, FailureReason.PROTOCOL_VERSION, "TLSv1", JAVA7_JA4);
    }

    public static HandshakeEvent success(String address, Instant time, String protocol, String cipher, String ja4) {
        return HandshakeEvent.builder().time(time).source("validator@test").remote(address, 50_001)
                .listener("validator", 8443).tlsProvider(TlsProvider.JDK).durationMillis(2.0)
                .clientHello(hello(protocol, ja4))
                .success(new NegotiatedTls(protocol, cipher, null, null, false, null)).build();
    }

    /** A handshake the collector's broad report listener completed (it accepts what the validator refuses). */
    public static HandshakeEvent reportChannelSuccess(String address, Instant time, String protocol, String cipher,
                                                      String ja4) {
        return HandshakeEvent.builder().time(time).source("collector@test").remote(address, 50_002)
                .listener(HandshakeEvent.LISTENER_COLLECTOR, 8444).tlsProvider(TlsProvider.OPENSSL).durationMillis(2.0)
                .clientHello(hello(protocol, ja4))
                .success(new NegotiatedTls(protocol, cipher, null, null, false, null)).build();
    }

    public static ClientHelloSummary hello(String offered, String ja4) {
        return ClientHelloSummary.builder().legacyVersion(offered.equals("TLSv1.3") ? "TLSv1.2" : offered)
                .supportedVersions(offered.equals("TLSv1.3") ? List.of("TLSv1.3", "TLSv1.2") : List.of())
                .cipherSuites(List.of("TLS_RSA_WITH_AES_128_CBC_SHA")).extensions(List.of(0, 10, 11))
                .highestOfferedVersion(offered).ja3("769,47,0-10-11,,", "0123456789abcdef0123456789abcdef")
                .ja4(ja4, ja4 + "_raw").build();
    }

    /** A report as the SDK sends it: signed with the client's key ({@link #jkt}). */
    public static ClientReportEvent.Builder report(String clientId, String address, Instant time, String errorClass) {
        return ClientReportEvent.builder().time(time).source("collector@test").reportId("r-" + time.toEpochMilli())
                .clientId(clientId).licenseId("lic-" + clientId).format(ReportFormat.NATIVE).occurredAt(time)
                .receivedAt(time).error(errorClass, "javax.net.ssl.SSLHandshakeException: " + errorClass)
                .runtime(JAVA7).remoteAddress(address).arrival(new Arrival("http", null, null, null))
                .signedBy(jkt(clientId));
    }

    /**
     * A report signed by the client's key that came over the collector's TLS listener, which accepts old stacks:
     * the connection's ClientHello fingerprint ({@code arrival.ja4}) is the client's own.
     */
    public static ClientReportEvent.Builder reportOverTls(String clientId, String address, Instant time,
                                                          String errorClass, String protocol, String ja4) {
        return report(clientId, address, time, errorClass)
                .arrival(new Arrival("https", protocol, "TLS_RSA_WITH_AES_128_CBC_SHA", ja4));
    }

    /** A TLS 1.0-only installation's report of its refused handshake, over the collector's TLS listener. */
    public static ClientReportEvent legacyReport(String clientId, String address, Instant time) {
        return reportOverTls(clientId, address, time, "tls.version_or_cipher_mismatch", "TLSv1", JAVA7_JA4)
                .reportId("legacy-" + clientId + "-" + time.toEpochMilli()).build();
    }

    public static ClientReportEvent nelReport(String address, Instant time, String errorClass) {
        return ClientReportEvent.builder().time(time).source("collector@test").reportId("nel-" + time.toEpochMilli())
                .format(ReportFormat.NEL).occurredAt(time).receivedAt(time).error(errorClass, null)
                .remoteAddress(address).arrival(new Arrival("http", null, null, null))
                .nel(new NelDetails("connection", "192.0.2.1", "http/1.1", 0, 12L, "Mozilla/5.0")).build();
    }
}
