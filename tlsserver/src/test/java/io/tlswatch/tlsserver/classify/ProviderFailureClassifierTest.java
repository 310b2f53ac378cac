package io.tlswatch.tlsserver.classify;

import io.netty.channel.StacklessClosedChannelException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.tlsserver.tls.EnabledTls;
import io.tlswatch.tlsserver.tls.TlsSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Most provider messages here were captured from real handshakes (HandshakeFailureClassificationIT drives the
 * same clients against both providers): BoringSSL from netty-tcnative 2.0.84, the JDK from OpenJDK 17.0.15. The
 * others are the same families' spellings (BoringSSL's reason names, JSSE's alert names) for cases no test client
 * produces: they are marked "not captured".
 */
class ProviderFailureClassifierTest {

    private final ProviderFailureClassifier classifier =
            new ProviderFailureClassifier(EnabledTls.of(TlsSettings.mozillaIntermediate()));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // BoringSSL (OpenSSL provider)
            "error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL             | PROTOCOL_VERSION",
            "error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER                 | NO_SHARED_CIPHER",
            "error:1000010a:SSL routines:OPENSSL_internal:NO_SHARED_GROUP                  | NO_SHARED_GROUP",
            "error:100000f3:SSL routines:OPENSSL_internal:WRONG_CURVE                      | NO_SHARED_GROUP",
            "error:10000416:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_UNKNOWN  | UNKNOWN_CA",
            "error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA           | UNKNOWN_CA",
            "error:10000415:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED  | CERTIFICATE_EXPIRED",
            // not captured: the next four
            "error:10000412:SSL routines:OPENSSL_internal:SSLV3_ALERT_BAD_CERTIFICATE      | BAD_CERTIFICATE",
            "error:1000045c:SSL routines:OPENSSL_internal:TLSV1_ALERT_CERTIFICATE_REQUIRED | BAD_CERTIFICATE",
            "error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE | BAD_CERTIFICATE",
            "error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED        | BAD_CERTIFICATE",
            "error:10000046:SSL routines:OPENSSL_internal:TLSV1_ALERT_PROTOCOL_VERSION     | PROTOCOL_VERSION",
            "error:1000009c:SSL routines:OPENSSL_internal:HTTP_REQUEST                     | NOT_TLS",
            // captured again from here
            "error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE    | CLOSED_BY_CLIENT",
            "error:10000070:SSL routines:OPENSSL_internal:BAD_PACKET_LENGTH                | OTHER",
            // JDK (JSSE)
            "Client requested protocol TLSv1 is not enabled or supported in server context   | PROTOCOL_VERSION",
            "Client requested protocol TLSv1.1 is not enabled or supported in server context | PROTOCOL_VERSION",
            "no cipher suites in common                                                      | NO_SHARED_CIPHER",
            "Received fatal alert: certificate_unknown                                       | UNKNOWN_CA",
            "Received fatal alert: unknown_ca                                                | UNKNOWN_CA",
            "Received fatal alert: certificate_expired                                       | CERTIFICATE_EXPIRED",
            // not captured: the next two
            "Received fatal alert: bad_certificate                                           | BAD_CERTIFICATE",
            "Received fatal alert: protocol_version                                          | PROTOCOL_VERSION",
            "Received fatal alert: illegal_parameter                                         | CLOSED_BY_CLIENT",
            "Empty client certificate chain                                                  | BAD_CERTIFICATE",
            "Insufficient buffer remaining for AEAD cipher fragment (2). Needs to be more than tag size (16) | OTHER"})
    void classifiesProviderMessages(String message, FailureReason expected) {
        // given the provider's exception as the SslHandshakeCompletionEvent carries it
        FailureEvidence failure = failure(new SSLHandshakeException(message));

        // when
        FailureVerdict classification = classifier.classify(failure);

        // then: the reason, with the raw text kept
        assertThat(classification.reason()).isEqualTo(expected);
        assertThat(classification.message()).isEqualTo(message);
    }

    @Test
    void classifiesTheJdkProtocolExceptionForNoCommonGroup() {
        // given
        FailureEvidence failure = failure(new SSLProtocolException("No common named group"));

        // when / then
        assertThat(classifier.classify(failure).reason()).isEqualTo(FailureReason.NO_SHARED_GROUP);
    }

    @Test
    void findsAnExpiredClientCertificateInTheCauseChainOfEitherProvider() {
        // given the chains both providers produced for an expired client certificate
        CertificateExpiredException expired = new CertificateExpiredException("NotAfter: Sat Nov 28 14:08:39 UTC 2026");
        CertPathValidatorException validity = new CertPathValidatorException("validity check failed", expired, null,
                -1, CertPathValidatorException.BasicReason.EXPIRED);
        CertificateException pkix = new CertificateException(
                "PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed",
                validity);
        Throwable openSsl = new SSLHandshakeException("General OpenSslEngine problem").initCause(pkix);
        Throwable jdk = new SSLHandshakeException(pkix.getMessage()).initCause(pkix);

        // when
        FailureVerdict fromOpenSsl = classifier.classify(failure(openSsl));
        FailureVerdict fromJdk = classifier.classify(failure(jdk));

        // then
        assertThat(fromOpenSsl.reason()).isEqualTo(FailureReason.CERTIFICATE_EXPIRED);
        assertThat(fromJdk.reason()).isEqualTo(FailureReason.CERTIFICATE_EXPIRED);
        assertThat(fromOpenSsl.message()).isEqualTo("General OpenSslEngine problem; caused by: PKIX path validation "
                + "failed: java.security.cert.CertPathValidatorException: validity check failed; caused by: "
                + "NotAfter: Sat Nov 28 14:08:39 UTC 2026");
    }

    @Test
    void findsAClientCertificateFromAnUnknownCaInTheCauseChain() {
        // given "PKIX path building failed" around SunCertPathBuilderException
        CertPathBuilderException noPath =
                new CertPathBuilderException("unable to find valid certification path to requested target");
        Throwable error = new SSLHandshakeException("General OpenSslEngine problem")
                .initCause(new CertificateException("PKIX path building failed", noPath));

        // when / then
        assertThat(classifier.classify(failure(error)).reason()).isEqualTo(FailureReason.UNKNOWN_CA);
    }

    @Test
    void aCertificateThatFailsOtherwiseIsBad() {
        // given
        CertPathValidatorException signature = new CertPathValidatorException("signature check failed", null, null,
                -1, CertPathValidatorException.BasicReason.INVALID_SIGNATURE);
        Throwable error = new SSLHandshakeException("General OpenSslEngine problem")
                .initCause(new CertificateException("PKIX path validation failed", signature));

        // when / then
        assertThat(classifier.classify(failure(error)).reason()).isEqualTo(FailureReason.BAD_CERTIFICATE);
    }

    @Test
    void plainHttpIsNotTlsAndItsBytesStayOutOfTheMessage() {
        // given Netty's exception with the request in hex, as the JDK provider path reports it
        NotSslRecordException error = new NotSslRecordException(
                "not an SSL/TLS record: 474554202f20485454502f312e310d0a417574686f72697a6174696f6e3a20");

        // when
        FailureVerdict classification = classifier.classify(failure(error));

        // then
        assertThat(classification.reason()).isEqualTo(FailureReason.NOT_TLS);
        assertThat(classification.message()).isEqualTo("not an SSL/TLS record");
    }

    @Test
    void firstBytesThatAreNotTlsWinOverTheProvidersWords() {
        // given
        FailureEvidence failure = new FailureEvidence(new SSLHandshakeException("whatever"),
                OpeningBytes.NOT_TLS, false, false, null, null);

        // when / then
        assertThat(classifier.classify(failure).reason()).isEqualTo(FailureReason.NOT_TLS);
    }

    @Test
    void aTimeoutIsATimeoutWhetherTheFlagOrTheExceptionSaysSo() {
        // given
        FailureEvidence byException = failure(new SslHandshakeTimeoutException("handshake timed out after 300ms"));
        FailureEvidence byFlag = new FailureEvidence(null, OpeningBytes.NONE, true, false, null,
                null);

        // when / then
        assertThat(classifier.classify(byException))
                .isEqualTo(new FailureVerdict(FailureReason.HANDSHAKE_TIMEOUT, "handshake timed out after 300ms"));
        assertThat(classifier.classify(byFlag))
                .isEqualTo(new FailureVerdict(FailureReason.HANDSHAKE_TIMEOUT, "handshake timed out"));
    }

    @Test
    void aCloseBeforeTheHandshakeEndedIsTheClients() {
        // given what both providers report for a connect-then-close: Netty's message-less closed exception
        FailureEvidence closed = new FailureEvidence(StacklessClosedChannelException.newInstance(
                ProviderFailureClassifierTest.class, "test"), OpeningBytes.NONE, false, true, null,
                null);
        FailureEvidence closedUnflagged = failure(new ClosedChannelException());

        // when / then
        assertThat(classifier.classify(closed))
                .isEqualTo(new FailureVerdict(FailureReason.CLOSED_BY_CLIENT, "StacklessClosedChannelException"));
        assertThat(classifier.classify(closedUnflagged).reason()).isEqualTo(FailureReason.CLOSED_BY_CLIENT);
    }

    @Test
    void aPlaintextAlertExplainsTheDecodingErrorThatFollowsIt() {
        // given a TLS 1.3 client's cleartext unknown_ca alert, which the providers only report as bad records
        FailureEvidence boring = new FailureEvidence(
                new SSLHandshakeException("error:10000070:SSL routines:OPENSSL_internal:BAD_PACKET_LENGTH"),
                OpeningBytes.TLS, false, false, null, 48);
        FailureEvidence jdk = new FailureEvidence(new SSLHandshakeException(
                "Insufficient buffer remaining for AEAD cipher fragment (2). Needs to be more than tag size (16)"),
                OpeningBytes.TLS, false, false, null, 46);

        // when / then
        assertThat(classifier.classify(boring)).isEqualTo(new FailureVerdict(FailureReason.UNKNOWN_CA,
                "error:10000070:SSL routines:OPENSSL_internal:BAD_PACKET_LENGTH (client sent alert unknown_ca)"));
        assertThat(classifier.classify(jdk).reason()).isEqualTo(FailureReason.UNKNOWN_CA);
    }

    @Test
    void theOfferTellsANoSharedGroupThatTheJdkCallsNoSharedCipher() {
        // given a TLS 1.2 client with the right suites but only P-521
        ClientOffer offer = new ClientOffer(List.of("TLSv1.2"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
                List.of("secp521r1"));
        FailureEvidence failure = new FailureEvidence(new SSLHandshakeException("no cipher suites in common"),
                OpeningBytes.TLS, false, false, offer, null);

        // when / then
        assertThat(classifier.classify(failure).reason()).isEqualTo(FailureReason.NO_SHARED_GROUP);
    }

    @Test
    void theOfferTellsANoSharedCipherThatBoringSslCallsWrongCurve() {
        // given a TLS 1.2 client offering only a CBC suite with RSA key exchange, and no groups at all
        ClientOffer offer = new ClientOffer(List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"),
                List.of("TLS_RSA_WITH_AES_128_CBC_SHA"), List.of());
        FailureEvidence failure = new FailureEvidence(
                new SSLHandshakeException("error:100000f3:SSL routines:OPENSSL_internal:WRONG_CURVE"),
                OpeningBytes.TLS, false, false, offer, null);

        // when / then
        assertThat(classifier.classify(failure).reason()).isEqualTo(FailureReason.NO_SHARED_CIPHER);
    }

    @Test
    void theOfferTellsAMissingVersionBehindAVagueError() {
        // given a TLS 1.0 client and an error that says nothing useful
        ClientOffer offer = new ClientOffer(List.of("SSLv3", "TLSv1"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"), List.of("x25519"));
        FailureEvidence failure = new FailureEvidence(new SSLHandshakeException("something odd"),
                OpeningBytes.TLS, false, false, offer, null);

        // when / then
        assertThat(classifier.classify(failure).reason()).isEqualTo(FailureReason.PROTOCOL_VERSION);
    }

    @Test
    void aClientAlertAfterAGroupTheClientNeverOfferedIsNoSharedGroup() {
        // given the JDK provider answering a TLS 1.2 ffdhe2048-only client, which then sends illegal_parameter
        ClientOffer offer = new ClientOffer(List.of("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"),
                List.of("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), List.of("ffdhe2048"));
        FailureEvidence failure = new FailureEvidence(
                new SSLHandshakeException("Received fatal alert: illegal_parameter"),
                OpeningBytes.TLS, false, false, offer, 47);

        // when / then
        assertThat(classifier.classify(failure).reason()).isEqualTo(FailureReason.NO_SHARED_GROUP);
    }

    @Test
    void theOfferDoesNotOverruleASpecificVerdict() {
        // given a client that shares everything, and a certificate failure
        ClientOffer offer = new ClientOffer(List.of("TLSv1.3"), List.of("TLS_AES_128_GCM_SHA256"), List.of("x25519"));
        FailureEvidence failure = new FailureEvidence(new SSLHandshakeException("Empty client certificate chain"),
                OpeningBytes.TLS, false, false, offer, null);

        // when / then
        assertThat(classifier.classify(failure).reason()).isEqualTo(FailureReason.BAD_CERTIFICATE);
    }

    @Test
    void keepsTheRawTextOfAnythingElseBounded() {
        // given
        String longMessage = "x".repeat(2000);

        // when
        FailureVerdict other = classifier.classify(failure(new SSLHandshakeException("strange")));
        FailureVerdict bounded = classifier.classify(failure(new SSLHandshakeException(longMessage)));
        FailureVerdict nothing = classifier.classify(failure(null));

        // then
        assertThat(other).isEqualTo(new FailureVerdict(FailureReason.OTHER, "strange"));
        assertThat(bounded.message()).hasSize(ProviderFailureClassifier.MAX_MESSAGE_LENGTH);
        assertThat(nothing).isEqualTo(new FailureVerdict(FailureReason.OTHER, "other"));
    }

    @Test
    void survivesACyclicCauseChain() {
        // given
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);

        // when / then
        assertThat(classifier.classify(failure(a))).isEqualTo(new FailureVerdict(FailureReason.OTHER,
                "a; caused by: b"));
    }

    private static FailureEvidence failure(Throwable error) {
        return new FailureEvidence(error, OpeningBytes.TLS, false, false, null, null);
    }
}
