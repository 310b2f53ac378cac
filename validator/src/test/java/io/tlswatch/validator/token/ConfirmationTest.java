package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWK;
import io.tlswatch.contract.event.ProofKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Thumbprints checked against the values published in the RFCs, not against this code's own output. */
class ConfirmationTest {

    @Test
    void theJwkThumbprintOfRfc7638sExampleKeyIsTheRfcsValue() throws Exception {
        // given: RFC 7638 §3.1
        JWK key = JWK.parse("{\"kty\":\"RSA\",\"n\":\"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAt"
                + "VT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6C"
                + "f0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrd"
                + "kt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw\","
                + "\"e\":\"AQAB\",\"alg\":\"RS256\",\"kid\":\"2011-04-29\"}");

        // when
        Confirmation confirmation = Confirmation.jwk(key);

        // then
        assertThat(confirmation.value()).isEqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
        assertThat(confirmation.member()).isEqualTo("jkt");
        assertThat(confirmation.proofKind()).isEqualTo(ProofKind.DPOP);
    }

    @Test
    void theJwkThumbprintOfRfc8037sEd25519KeyIsTheRfcsValue() throws Exception {
        // given: RFC 8037 Appendix A.2 and A.3
        JWK key = JWK.parse("{\"kty\":\"OKP\",\"crv\":\"Ed25519\","
                + "\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}");

        // when / then
        assertThat(Confirmation.jwk(key).value()).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    }

    @Test
    void theCertificateThumbprintIsBase64urlSha256OfTheDer() {
        // given: SHA-256("abc") is ba7816bf... (FIPS 180-2 example), here in base64url
        byte[] der = "abc".getBytes(StandardCharsets.US_ASCII);

        // when
        Confirmation confirmation = Confirmation.certificateDer(der);

        // then
        assertThat(confirmation.value()).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(confirmation.member()).isEqualTo("x5t#S256");
        assertThat(confirmation.proofKind()).isEqualTo(ProofKind.MTLS);
    }

    @Test
    void aThumbprintMustBeADigest() {
        assertThatThrownBy(() -> Confirmation.jkt("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Confirmation.jkt(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Confirmation.CertificateThumbprint("=".repeat(43)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
