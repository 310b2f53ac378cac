package io.tlswatch.streams.posture;

import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import org.junit.jupiter.api.Test;

import static io.tlswatch.streams.TestEvents.check;
import static io.tlswatch.streams.TestEvents.jkt;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.nelReport;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

class ReportBindingTest {

    private static final String CLIENT = "client-a";
    private static final String ADDRESS = "198.51.100.7";
    private static final KeyPin BY_CHECK = new KeyPin(jkt(CLIENT), KeyPin.Source.CHECK, minutes(0));
    private static final KeyPin BY_REPORT = new KeyPin(jkt("attacker"), KeyPin.Source.REPORT, minutes(0));

    private static ClientReportEvent.Builder aReport() {
        return report(CLIENT, ADDRESS, minutes(1), "tls.version_or_cipher_mismatch");
    }

    @Test
    void aReportSignedByThePinnedKeyCounts() {
        assertThat(ReportBinding.report(BY_CHECK, aReport().build())).isEqualTo(new ReportBinding.Decision(null,
                BY_CHECK));
    }

    @Test
    void aReportByAnotherKeyOrUnsignedDoesNotCountForAPinnedClient() {
        assertThat(ReportBinding.report(BY_CHECK, aReport().signedBy(jkt("x")).build()).unbound())
                .isEqualTo(ReportBinding.Unbound.OTHER_KEY);
        assertThat(ReportBinding.report(BY_CHECK, aReport().authenticated(false).build()).unbound())
                .isEqualTo(ReportBinding.Unbound.UNSIGNED);
    }

    @Test
    void anAuthenticatedReportOfAnOlderCollectorWithoutItsSignerCountsAsUnsigned() {
        ClientReportEvent old = aReport().authenticated(false).build();
        ClientReportEvent oldAuthenticated = new ClientReportEvent(old.type(), old.id(), old.time(), old.source(),
                old.reportId(), old.clientId(), old.licenseId(), old.format(), old.occurredAt(), old.receivedAt(),
                old.endpoint(), old.errorClass(), old.message(), old.runtime(), old.tls(), old.os(), old.appVersion(),
                old.clientTime(), old.remoteAddress(), old.arrival(), true, null, old.flags(), old.nel(), null);

        assertThat(ReportBinding.report(BY_CHECK, oldAuthenticated).unbound()).isEqualTo(ReportBinding.Unbound.UNSIGNED);
        assertThat(ReportBinding.report(null, oldAuthenticated)).isEqualTo(new ReportBinding.Decision(null, null));
    }

    @Test
    void theFirstSignedReportOfAnUnpinnedClientPinsItsKeyAndAnUnsignedOneNothing() {
        assertThat(ReportBinding.report(null, aReport().build()))
                .isEqualTo(new ReportBinding.Decision(null, new KeyPin(jkt(CLIENT), KeyPin.Source.REPORT, minutes(1))));
        assertThat(ReportBinding.report(null, aReport().authenticated(false).build()))
                .isEqualTo(new ReportBinding.Decision(null, null));
    }

    @Test
    void aNelReportAttributedByAddressNamesNobodyAndCounts() {
        assertThat(ReportBinding.report(BY_CHECK, nelReport(ADDRESS, minutes(1), "tls.cert.authority_invalid")))
                .isEqualTo(new ReportBinding.Decision(null, BY_CHECK));
    }

    @Test
    void aValidCheckWithAVerifiedProofPinsOverNothingOrAReportButNotOverACheck() {
        LicenseCheckEvent valid = validCheck(CLIENT, ADDRESS, minutes(2));
        KeyPin proven = new KeyPin(jkt(CLIENT), KeyPin.Source.CHECK, minutes(2));

        assertThat(ReportBinding.check(null, valid)).isEqualTo(proven);
        assertThat(ReportBinding.check(BY_REPORT, valid)).isEqualTo(proven);
        assertThat(ReportBinding.check(BY_CHECK, checkBy(jkt("other")))).isEqualTo(BY_CHECK);
    }

    @Test
    void aRefusedCheckOrOneWithoutADpopKeyPinsNothing() {
        LicenseCheckEvent refused = check(CLIENT, ADDRESS, minutes(2), "TLSv1.3", "TLS_AES_256_GCM_SHA384", null)
                .licenseId(null).code(LicenseCheckCode.NOT_FOUND).dpopVerified(jkt("attacker")).build();
        LicenseCheckEvent noKey = check(CLIENT, ADDRESS, minutes(2), "TLSv1.3", "TLS_AES_256_GCM_SHA384", null)
                .proofJkt(null).build();

        assertThat(ReportBinding.check(BY_REPORT, refused)).as("anyone can prove a key of their own")
                .isEqualTo(BY_REPORT);
        assertThat(ReportBinding.check(null, noKey)).isNull();
    }

    private static LicenseCheckEvent checkBy(String key) {
        return check(CLIENT, ADDRESS, minutes(2), "TLSv1.3", "TLS_AES_256_GCM_SHA384", null).dpopVerified(key).build();
    }
}
