package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LicenseKeysTest {

    private final LicenseKeys keys = new LicenseKeys(new SecureRandom());

    @ParameterizedTest(name = "base32({0}) = {1}")
    @CsvSource({
            // RFC 4648 section 10 test vectors, without the padding
            "'', ''",
            "f, MY",
            "fo, MZXQ",
            "foo, MZXW6",
            "foob, MZXW6YQ",
            "fooba, MZXW6YTB",
            "foobar, MZXW6YTBOI"
    })
    void base32MatchesTheRfcTestVectors(String input, String expected) {
        assertThat(LicenseKeys.base32(input.getBytes(StandardCharsets.US_ASCII))).isEqualTo(expected);
    }

    @Test
    void aLicenseKeyCarriesThePrefixAnd256RandomBitsInBase32() {
        // when a key is made
        String key = keys.newLicenseKey();

        // then it is the prefix and 52 base32 characters (256 bits), and it hashes like any key
        assertThat(key).matches("TLSW-[A-Z2-7]{52}");
        assertThat(LicenseRecord.keyHashOf(key)).hasSize(64);
    }

    @Test
    void aLicenseIdIsShortLowercaseAndPrefixed() {
        assertThat(keys.newLicenseId()).matches("lic-[a-z2-7]{16}");
    }

    @Test
    void keysAndIdsDoNotRepeat() {
        // when many are made
        Set<String> seenKeys = new HashSet<>();
        Set<String> seenIds = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seenKeys.add(keys.newLicenseKey());
            seenIds.add(keys.newLicenseId());
        }

        // then all are distinct
        assertThat(seenKeys).hasSize(10_000);
        assertThat(seenIds).hasSize(10_000);
    }
}
