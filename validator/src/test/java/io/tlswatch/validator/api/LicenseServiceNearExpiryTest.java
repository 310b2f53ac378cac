package io.tlswatch.validator.api;

import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.validator.license.LicenseDecision;
import io.tlswatch.validator.license.DefaultTerms;
import io.tlswatch.validator.machine.LedgerMachines;
import io.tlswatch.validator.token.DpopSettings;
import io.tlswatch.validator.token.DpopVerifier;
import io.tlswatch.validator.token.ReplayCache;
import io.tlswatch.validator.token.TokenIssuer;
import io.tlswatch.validator.token.TokenSettings;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;

/** The last second of a license: the decision and the token issuer must agree. */
class LicenseServiceNearExpiryTest {

    @Test
    void aCheckInTheLastSecondOfALicenseIsAnsweredNotThrown() {
        // given a license that ends 500 ms from now, and a clock 300 ms past a whole second
        LicenseServiceTest.Parts parts = new LicenseServiceTest.Parts();
        Instant now = LicenseServiceTest.Parts.NOW.plusMillis(300);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        var license = parts.add("TLSW-key-1", b -> b.notAfter(now.plusMillis(500)));
        LicenseService service = new LicenseService(
                new LicenseDecision(h -> Optional.of(license).filter(l -> l.keyHash().equals(h)),
                        new DefaultTerms(Duration.ofHours(24), TokenSettings.DEFAULT_LIFETIME, true),
                        LedgerMachines.over(List.of(license)).gate()),
                new DpopVerifier(DpopSettings.defaults(), new ReplayCache(10, clock), clock),
                new TokenIssuer(parts.keys, parts.tokenSettings, clock), LicenseServiceTest.Parts.VALIDATE_URI,
                clock, "test");

        // when a client with a good proof validates: the decision says VALID (now < notAfter), then the
        // issuer truncates both ends to whole seconds and refuses to issue
        assertThatCode(() -> service.validate(new ValidateRequest("TLSW-key-1", "inst-1", null),
                List.of(parts.proof(LicenseServiceTest.Parts.clientKey())),
                new ConnectionFacts("203.0.113.7", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null, null),
                System.nanoTime())).doesNotThrowAnyException();
    }
}
