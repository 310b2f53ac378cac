package io.tlswatch.tlsserver.certificate;

import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

class OcspResponseCheckerTest {

    private static RotationPki pki;
    private static RotationPki.Leaf leaf;
    private final OcspResponseChecker checker = new OcspResponseChecker();
    private final Instant now = Instant.now();

    @BeforeAll
    static void issue() throws Exception {
        pki = RotationPki.create("OCSP test CA");
        leaf = pki.issue(Duration.ofMinutes(30));
    }

    private byte[] response(CertificateStatus status, Instant thisUpdate, Instant nextUpdate) throws Exception {
        return TestOcspResponder.build(pki.caKeys, pki.ca, TestOcspResponder.idOf(leaf.certificate(), pki.ca), status,
                thisUpdate, nextUpdate);
    }

    private OcspResult check(byte[] response) {
        return checker.check(response, leaf.certificate(), pki.ca, now);
    }

    @Test
    void givenAGoodResponseSignedByTheIssuer_whenChecked_thenItIsGoodWithItsWindow() throws Exception {
        Instant thisUpdate = now.minusSeconds(60);
        byte[] der = response(CertificateStatus.GOOD, thisUpdate, now.plus(Duration.ofHours(1)));

        OcspResult result = check(der);

        assertThat(result).isInstanceOf(OcspResult.Good.class);
        OcspResult.Good good = (OcspResult.Good) result;
        assertThat(good.encoded()).isEqualTo(der);
        assertThat(good.thisUpdate()).isEqualTo(thisUpdate.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(good.outcome()).isEqualTo("good");
    }

    @Test
    void givenARevokedResponse_whenChecked_thenItIsRevokedWithTimeAndReason() throws Exception {
        byte[] der = response(new RevokedStatus(Date.from(now.minusSeconds(600)), CRLReason.keyCompromise),
                now.minusSeconds(60), now.plus(Duration.ofHours(1)));

        OcspResult result = check(der);

        assertThat(result).isInstanceOfSatisfying(OcspResult.Revoked.class, revoked -> {
            assertThat(revoked.reason()).isEqualTo("keyCompromise");
            assertThat(revoked.revokedAt()).isBefore(now.minusSeconds(500));
        });
    }

    @Test
    void givenAnUnknownStatus_whenChecked_thenItIsUnknown() throws Exception {
        assertThat(check(response(new UnknownStatus(), now.minusSeconds(60), now.plusSeconds(600))))
                .isInstanceOf(OcspResult.Unknown.class);
    }

    @Test
    void givenAResponseSignedByAnotherCa_whenChecked_thenItIsInvalid() throws Exception {
        RotationPki other = RotationPki.create("Other CA");
        byte[] der = TestOcspResponder.build(other.caKeys, other.ca, TestOcspResponder.idOf(leaf.certificate(), pki.ca),
                CertificateStatus.GOOD, now.minusSeconds(60), now.plusSeconds(600));

        assertThat(check(der)).isInstanceOfSatisfying(OcspResult.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains("not signed by the issuer"));
    }

    @Test
    void givenADelegatedResponderWithOcspSigning_whenChecked_thenItIsGood() throws Exception {
        RotationPki.Leaf responder = pki.responder(true);
        byte[] der = TestOcspResponder.build(responder.keys(), responder.certificate(),
                TestOcspResponder.idOf(leaf.certificate(), pki.ca), CertificateStatus.GOOD, now.minusSeconds(60),
                now.plusSeconds(600));

        assertThat(check(der)).isInstanceOf(OcspResult.Good.class);
    }

    @Test
    void givenAResponderCertificateWithoutOcspSigning_whenChecked_thenItIsInvalid() throws Exception {
        RotationPki.Leaf responder = pki.responder(false);
        byte[] der = TestOcspResponder.build(responder.keys(), responder.certificate(),
                TestOcspResponder.idOf(leaf.certificate(), pki.ca), CertificateStatus.GOOD, now.minusSeconds(60),
                now.plusSeconds(600));

        assertThat(check(der)).isInstanceOf(OcspResult.Invalid.class);
    }

    @Test
    void givenAResponseAboutAnotherCertificate_whenChecked_thenItIsInvalid() throws Exception {
        RotationPki.Leaf other = pki.issue(Duration.ofMinutes(30));
        byte[] der = TestOcspResponder.build(pki.caKeys, pki.ca, TestOcspResponder.idOf(other.certificate(), pki.ca),
                CertificateStatus.GOOD, now.minusSeconds(60), now.plusSeconds(600));

        assertThat(check(der)).isInstanceOfSatisfying(OcspResult.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains("not about certificate " + leaf.serialHex()));
    }

    @Test
    void givenAResponsePastItsNextUpdate_whenChecked_thenItIsInvalidAsStale() throws Exception {
        byte[] der = response(CertificateStatus.GOOD, now.minusSeconds(7200), now.minusSeconds(60));

        assertThat(check(der)).isInstanceOfSatisfying(OcspResult.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains("stale"));
    }

    @Test
    void givenAResponseFromTheFuture_whenChecked_thenItIsInvalid() throws Exception {
        byte[] der = response(CertificateStatus.GOOD, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));

        assertThat(check(der)).isInstanceOfSatisfying(OcspResult.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains("future"));
    }

    @Test
    void givenAResponseWithoutNextUpdate_whenChecked_thenItIsInvalid() throws Exception {
        byte[] der = response(CertificateStatus.GOOD, now.minusSeconds(60), null);

        assertThat(check(der)).isInstanceOfSatisfying(OcspResult.Invalid.class,
                invalid -> assertThat(invalid.reason()).contains("no nextUpdate"));
    }

    @Test
    void givenAnUnsuccessfulResponseStatus_whenChecked_thenItIsInvalidNamingTheStatus() throws Exception {
        assertThat(check(TestOcspResponder.unsuccessful(OCSPRespBuilder.TRY_LATER)))
                .isInstanceOfSatisfying(OcspResult.Invalid.class,
                        invalid -> assertThat(invalid.reason()).contains("tryLater"));
    }

    @Test
    void givenGarbage_whenChecked_thenItIsInvalid() {
        assertThat(check(new byte[]{1, 2, 3})).isInstanceOf(OcspResult.Invalid.class);
    }

    @Test
    void theRequestAsksAboutTheLeafWithoutANonce() throws Exception {
        OCSPReq request = new OCSPReq(checker.request(leaf.certificate(), pki.ca));

        assertThat(request.getRequestList()).hasSize(1);
        assertThat(request.getRequestList()[0].getCertID().getSerialNumber())
                .isEqualTo(leaf.certificate().getSerialNumber());
        assertThat(request.hasExtensions()).isFalse();
    }

    @Test
    void theResponderIsReadFromTheAuthorityInformationAccessExtension() throws Exception {
        RotationPki.Leaf named = pki.withOcspUrl(java.net.URI.create("http://ocsp.example.com/r3"))
                .issue(Duration.ofMinutes(5));

        assertThat(OcspClient.responderOf(named.certificate())).contains(java.net.URI.create("http://ocsp.example.com/r3"));
        assertThat(OcspClient.responderOf(leaf.certificate())).isEmpty();
    }
}
