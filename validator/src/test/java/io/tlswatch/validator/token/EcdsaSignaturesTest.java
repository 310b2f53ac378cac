package io.tlswatch.validator.token;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

class EcdsaSignaturesTest {

    @Test
    void zeroComponentsAreRefused() {
        // given
        byte[] zero = new byte[64];
        byte[] rZero = signature(BigInteger.ZERO, BigInteger.ONE);
        byte[] sZero = signature(BigInteger.ONE, BigInteger.ZERO);

        // when / then
        assertThat(EcdsaSignatures.es256Problem(zero)).contains("ES256 signature with r or s zero (CVE-2022-21449)");
        assertThat(EcdsaSignatures.es256Problem(rZero)).isPresent();
        assertThat(EcdsaSignatures.es256Problem(sZero)).isPresent();
    }

    @Test
    void componentsAtOrAboveTheGroupOrderAreRefused() {
        BigInteger n = EcdsaSignatures.P256_ORDER;
        assertThat(EcdsaSignatures.es256Problem(signature(n, BigInteger.ONE))).isPresent();
        assertThat(EcdsaSignatures.es256Problem(signature(BigInteger.ONE, n.add(BigInteger.ONE)))).isPresent();
    }

    @Test
    void componentsInRangePass() {
        BigInteger max = EcdsaSignatures.P256_ORDER.subtract(BigInteger.ONE);
        assertThat(EcdsaSignatures.es256Problem(signature(BigInteger.ONE, max))).isEmpty();
    }

    @Test
    void anyOtherLengthIsRefused() {
        assertThat(EcdsaSignatures.es256Problem(new byte[0])).contains("an ES256 signature is 64 bytes, this one 0");
        assertThat(EcdsaSignatures.es256Problem(new byte[72])).isPresent();
    }

    private static byte[] signature(BigInteger r, BigInteger s) {
        byte[] out = new byte[64];
        put(r, out, 0);
        put(s, out, 32);
        return out;
    }

    private static void put(BigInteger value, byte[] out, int offset) {
        byte[] raw = value.toByteArray();
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, offset + 32 - copy, copy);
    }
}
