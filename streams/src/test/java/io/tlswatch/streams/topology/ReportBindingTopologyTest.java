package io.tlswatch.streams.topology;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.TestEvents;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.streams.posture.KeyPin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.tlswatch.streams.TestEvents.JAVA21;
import static io.tlswatch.streams.TestEvents.jkt;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

/** Whose reports count for a client: those signed by its pinned key (docs/posture.md, "Whose reports count"). */
class ReportBindingTopologyTest {

    private static final String ADDRESS = "198.51.100.7";
    private static final String ATTACKER_ADDRESS = "203.0.113.66";
    private static final String CLIENT = "client-a";
    private static final String MISMATCH = "tls.version_or_cipher_mismatch";
    /** Three version mismatches make a client stuck. */
    private static final int STUCK_AFTER = 3;

    private final PostureDriver driver = new PostureDriver(PostureJobConfig.from(ConfigSource.of(Map.of(
            "kafka.bootstrap.servers", "unused:9092",
            "alerts.minHold", "0s",
            "posture.rowRefresh", "0s"))));

    @AfterEach
    void close() {
        driver.close();
    }

    private static ClientReportEvent unsigned(String clientId, long minute) {
        return report(clientId, ATTACKER_ADDRESS, minutes(minute), MISMATCH).authenticated(false).build();
    }

    private static ClientReportEvent signedBy(String key, String clientId, long minute) {
        return report(clientId, ATTACKER_ADDRESS, minutes(minute), MISMATCH).signedBy(key).build();
    }

    private static ClientReportEvent own(String clientId, long minute) {
        return report(clientId, ADDRESS, minutes(minute), MISMATCH).build();
    }

    private double unbound(String reason) {
        return driver.counter("tlswatch.streams.reports.unbound", "reason", reason);
    }

    @Test
    void forgedReportsForAClientPinnedByItsLicenseCheckLeaveItHealthyAndAreCountedUnbound() {
        // given a client whose valid check proved its DPoP key
        driver.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        // when others send version mismatches naming it: unsigned, and signed by a key of their own
        for (int i = 1; i <= STUCK_AFTER; i++) {
            driver.send(unsigned(CLIENT, i), signedBy(jkt("attacker"), CLIENT, i));
        }

        // then its posture is untouched, not even what the row says it runs, and each report is counted
        ClientPosture row = driver.posture(CLIENT);
        assertThat(row.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(row.reportsByErrorClass()).isEmpty();
        assertThat(row.runtime()).isEqualTo(JAVA21);
        assertThat(row.lastSeen()).isEqualTo(minutes(0));
        assertThat(driver.alerts()).isEmpty();
        assertThat(unbound("unsigned")).isEqualTo(STUCK_AFTER);
        assertThat(unbound("other_key")).isEqualTo(STUCK_AFTER);
        assertThat(driver.state(CLIENT).keyPin()).isEqualTo(new KeyPin(jkt(CLIENT), KeyPin.Source.CHECK, minutes(0)));
    }

    @Test
    void theClientsOwnSignedReportsCount() {
        driver.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        for (int i = 1; i <= STUCK_AFTER; i++) {
            driver.send(own(CLIENT, i));
        }

        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
        assertThat(driver.posture(CLIENT).reportsByErrorClass()).containsEntry(MISMATCH, (long) STUCK_AFTER);
        assertThat(unbound("unsigned") + unbound("other_key")).isZero();
    }

    @Test
    void unsignedReportsForAClientWithNoPinnedKeyCountAsBefore() {
        // an old SDK that does not sign, for a client never seen passing a check
        for (int i = 1; i <= STUCK_AFTER; i++) {
            driver.send(report(CLIENT, ADDRESS, minutes(i), MISMATCH).authenticated(false).build());
        }

        // never seen valid: at risk as soon as it cannot validate
        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.AT_RISK);
        assertThat(driver.state(CLIENT).keyPin()).isNull();
        assertThat(unbound("unsigned")).isZero();
    }

    @Test
    void aFirstSignedReportPinsItsKeyAndThenUnsignedOrOtherKeyReportsAreIgnored() {
        // given a client that never reaches the validator, whose first report is signed (trust on first use)
        driver.send(own(CLIENT, 1));

        // when unsigned reports and reports by another key name it
        for (int i = 2; i < 2 + STUCK_AFTER; i++) {
            driver.send(unsigned(CLIENT, i), signedBy(jkt("attacker"), CLIENT, i));
        }

        // then only its own report counted
        assertThat(driver.state(CLIENT).keyPin()).isEqualTo(new KeyPin(jkt(CLIENT), KeyPin.Source.REPORT, minutes(1)));
        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);
        assertThat(driver.posture(CLIENT).reportsByErrorClass()).containsEntry(MISMATCH, 1L);
        assertThat(unbound("unsigned")).isEqualTo(STUCK_AFTER);
        assertThat(unbound("other_key")).isEqualTo(STUCK_AFTER);
        // and its own reports still do
        driver.send(own(CLIENT, 10), own(CLIENT, 11));
        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.AT_RISK);
    }

    @Test
    void theKeyAValidCheckProvesRepinsOverAKeyPinnedByAReport() {
        // given someone who got in first with a report signed by their own key
        String attacker = jkt("attacker");
        driver.send(signedBy(attacker, CLIENT, 1));
        assertThat(driver.state(CLIENT).keyPin().jkt()).isEqualTo(attacker);

        // when the real client passes a license check with its DPoP key
        driver.send(validCheck(CLIENT, ADDRESS, minutes(2)));

        // then the validator's evidence wins: the attacker's reports stop counting, the client's own count
        assertThat(driver.state(CLIENT).keyPin()).isEqualTo(new KeyPin(jkt(CLIENT), KeyPin.Source.CHECK, minutes(2)));
        for (int i = 3; i < 3 + STUCK_AFTER; i++) {
            driver.send(signedBy(attacker, CLIENT, i));
        }
        assertThat(unbound("other_key")).isEqualTo(STUCK_AFTER);
        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);
        driver.send(own(CLIENT, 10), own(CLIENT, 11), own(CLIENT, 12));
        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void aForgedReportDoesNotTieItsAddressToTheClientSoFailuresFromThereAreNotAttributedToIt() {
        // given a client pinned by its check, and a forged report naming it from the attacker's address
        driver.send(validCheck(CLIENT, ADDRESS, minutes(0)), unsigned(CLIENT, 1));

        // when a TLS 1.0-only stack fails its handshake from the attacker's address
        driver.send(outdatedFailure(ATTACKER_ADDRESS, minutes(2)));

        // then the failure does not count for the client, and is counted
        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);
        assertThat(driver.posture(CLIENT).failuresByReason()).isEmpty();
        assertThat(driver.counter("tlswatch.streams.attributions.unbound")).isEqualTo(1);
        assertThat(driver.alerts()).isEmpty();
        // while one with its own ClientHello from the address its check came from does
        driver.send(TestEvents.failure(ADDRESS, minutes(3), io.tlswatch.contract.event.FailureReason.NO_SHARED_GROUP,
                "TLSv1.3", TestEvents.MODERN_JA4));
        assertThat(driver.posture(CLIENT).failuresByReason()).containsEntry("no_shared_group", 1L);
    }

    @Test
    void anAddressTaughtByTheClientsOwnSignedReportAttributesToIt() {
        // a client that never reaches the validator: its signed report pins its key and teaches its address
        driver.send(own(CLIENT, 1), outdatedFailure(ADDRESS, minutes(2)));

        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.AT_RISK);
        assertThat(driver.counter("tlswatch.streams.attributions.unbound")).isZero();
    }

    @Test
    void anAddressTaughtByAnUnsignedReportAttributesToAClientWithNoPinnedKey() {
        driver.send(report(CLIENT, ADDRESS, minutes(1), MISMATCH).authenticated(false).build(),
                outdatedFailure(ADDRESS, minutes(2)));

        assertThat(driver.posture(CLIENT).posture()).isEqualTo(Posture.AT_RISK);
    }

    @Test
    void aKeyPinnedByAValidCheckStaysWhenAnotherCheckProvesAnotherKey() {
        driver.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        driver.send(TestEvents.check(CLIENT, ATTACKER_ADDRESS, minutes(1), "TLSv1.3", "TLS_AES_256_GCM_SHA384",
                        TestEvents.MODERN_JA4).dpopVerified(jkt("attacker"))
                .tokenExpiresAt(minutes(16)).graceUntil(minutes(60)).build());

        assertThat(driver.state(CLIENT).keyPin().jkt()).isEqualTo(jkt(CLIENT));
    }
}
