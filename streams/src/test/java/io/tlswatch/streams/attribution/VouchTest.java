package io.tlswatch.streams.attribution;

import io.tlswatch.contract.event.LicenseCheckCode;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.tlswatch.streams.TestEvents.check;
import static io.tlswatch.streams.TestEvents.jkt;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

class VouchTest {

    private static final String ADDRESS = "198.51.100.7";

    @Test
    void aValidCheckVouchesWithItsProvenKeyOrAsACheckAndARefusedOneNot() {
        assertThat(Vouch.of(validCheck("a", ADDRESS, minutes(0)))).isEqualTo(jkt("a"));
        assertThat(Vouch.of(check("a", ADDRESS, minutes(0), "TLSv1.3", "TLS_AES_128_GCM_SHA256", null)
                .proofJkt(null).proof(io.tlswatch.contract.event.ProofKind.MTLS).build())).isEqualTo(Vouch.CHECK);
        assertThat(Vouch.of(check("a", ADDRESS, minutes(0), "TLSv1.3", "TLS_AES_128_GCM_SHA256", null)
                .licenseId(null).code(LicenseCheckCode.NOT_FOUND).dpopVerified(jkt("x")).build()))
                .isEqualTo(Vouch.UNBOUND);
    }

    @Test
    void aReportVouchesWithItsSignerOrNot() {
        assertThat(Vouch.of(report("a", ADDRESS, minutes(0), "e").build())).isEqualTo(jkt("a"));
        assertThat(Vouch.of(report("a", ADDRESS, minutes(0), "e").authenticated(false).build()))
                .isEqualTo(Vouch.UNBOUND);
    }

    @Test
    void anAddressBindsWhenThePinnedKeyOrAValidCheckTaughtItOrNothingIsPinned() {
        assertThat(Vouch.binds(Set.of(Vouch.UNBOUND), null)).isTrue();
        assertThat(Vouch.binds(Set.of(Vouch.UNBOUND, jkt("a")), jkt("a"))).isTrue();
        assertThat(Vouch.binds(Set.of(Vouch.CHECK), jkt("a"))).isTrue();
        assertThat(Vouch.binds(Set.of(), jkt("a"))).as("a book from before vouches were kept").isTrue();
        assertThat(Vouch.binds(Set.of(Vouch.UNBOUND, jkt("x")), jkt("a"))).isFalse();
    }
}
