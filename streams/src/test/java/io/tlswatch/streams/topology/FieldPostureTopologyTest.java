package io.tlswatch.streams.topology;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.streams.config.PostureJobConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.tlswatch.streams.TestEvents.MODERN_JA4;
import static io.tlswatch.streams.TestEvents.at;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.refusedCheck;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients of the field, with the job's default settings (a ten-minute hold, the default thresholds): the
 * judgement shows in the row at once, the page only after the hold; every client that cannot validate is stuck or
 * at risk with its cause named; a modern client is never judged otherwise, not even pending.
 */
class FieldPostureTopologyTest {

    private static final String ADDRESS = "198.51.100.7";
    private static final String CLIENT = "client-a";
    private static final String OTHER_ADDRESS = "203.0.113.9";

    private PostureDriver driver;

    /** Nothing tuned: what a user who starts the job gets. */
    private PostureDriver defaults() {
        driver = new PostureDriver(PostureJobConfig.from(ConfigSource.of(Map.of(
                "kafka.bootstrap.servers", "unused:9092"))));
        return driver;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** One attempt of a client with an old trust store: the validator's failed handshake, then its report. */
    private static void oldTrustStoreAttempt(PostureDriver d, Instant time) {
        d.send(failure(ADDRESS, time, FailureReason.UNKNOWN_CA, "TLSv1.3", MODERN_JA4),
                report(CLIENT, ADDRESS, time.plusMillis(300), "tls.cert.authority_invalid").build());
    }

    @Test
    void thePendingJudgementIsInTheRowAtOnceAndTheAlertComesOnlyAfterTheHold() {
        PostureDriver d = defaults();
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        // when its trust store loses our CA: two attempts, each a failed handshake and a report
        oldTrustStoreAttempt(d, minutes(1));
        oldTrustStoreAttempt(d, minutes(2));

        // then the row says so at once, while the committed posture and the page wait
        ClientPosture row = d.posture(CLIENT);
        assertThat(row.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(row.reasons()).isEmpty();
        assertThat(row.pendingPosture()).isEqualTo(Posture.STUCK);
        assertThat(row.pendingSince()).isEqualTo(minutes(2));
        assertThat(row.pendingReasons()).containsExactly("old_trust_store:4");
        assertThat(row.lapsesAt()).isEqualTo(minutes(15).plus(Duration.ofDays(30)));
        assertThat(d.postureRows()).last().satisfies(r -> assertThat(r.pendingPosture()).isEqualTo(Posture.STUCK));
        assertThat(d.alerts()).isEmpty();

        // nine minutes on (other traffic moves stream time) the hold still runs
        d.send(validCheck("client-b", OTHER_ADDRESS, minutes(11)));
        assertThat(d.alerts()).isEmpty();
        assertThat(d.posture(CLIENT).pendingPosture()).isEqualTo(Posture.STUCK);

        // once it has held for alerts.minHold (10 min), it is committed and paged once, from when it was seen
        d.send(validCheck("client-b", OTHER_ADDRESS, minutes(13)));
        List<AlertEvent> alerts = d.alerts();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("tls-outdated:" + CLIENT);
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
            assertThat(a.posture()).isEqualTo(Posture.STUCK);
            assertThat(a.startsAt()).isEqualTo(minutes(2));
            assertThat(a.summary()).contains("cannot validate its license: old_trust_store:4");
        });
        ClientPosture committed = d.posture(CLIENT);
        assertThat(committed.posture()).isEqualTo(Posture.STUCK);
        assertThat(committed.reasons()).containsExactly("old_trust_store:4");
        assertThat(committed.since()).isEqualTo(minutes(2));
        assertThat(committed.pendingPosture()).isNull();
        assertThat(committed.pendingReasons()).isEmpty();
    }

    @Test
    void aClientWithAnOldTrustStoreThatNeverValidatedIsAtRiskWithItsCause() {
        PostureDriver d = defaults();

        // its report teaches the job its address; its handshakes at the validator all fail for our CA
        d.send(report(CLIENT, ADDRESS, minutes(0), "tls.cert.authority_invalid").build());
        d.send(failure(ADDRESS, minutes(0).plusSeconds(5), FailureReason.UNKNOWN_CA, "TLSv1.3", MODERN_JA4));
        oldTrustStoreAttempt(d, minutes(1));

        ClientPosture row = d.posture(CLIENT);
        assertThat(row.pendingPosture()).isEqualTo(Posture.AT_RISK);
        assertThat(row.pendingReasons()).containsExactly("old_trust_store:4", "never_validated");
        assertThat(row.lapsesAt()).isNull();

        d.send(validCheck("client-b", OTHER_ADDRESS, minutes(12)));

        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.posture()).isEqualTo(Posture.AT_RISK);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.summary()).contains("was never seen with a valid license check");
        });
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.AT_RISK);
    }

    @Test
    void aClientWhoseClockIsTwoHoursAheadIsJudgedOnItsRefusedChecksWithTheSkew() {
        PostureDriver d = defaults();

        // its checks complete TLS 1.3, and the validator refuses each proof for its iat
        d.send(refusedCheck(CLIENT, ADDRESS, minutes(0), LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7200L));

        assertThat(d.posture(CLIENT).pendingPosture()).isEqualTo(Posture.DEGRADED);
        assertThat(d.posture(CLIENT).pendingReasons()).containsExactly("clock_skew:+7200s");

        d.send(refusedCheck(CLIENT, ADDRESS, minutes(1), LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7201L),
                refusedCheck(CLIENT, ADDRESS, minutes(2), LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7200L));

        ClientPosture row = d.posture(CLIENT);
        assertThat(row.pendingPosture()).isEqualTo(Posture.AT_RISK);
        assertThat(row.pendingReasons()).containsExactly("clock_skew:+7200s", "never_validated");
        assertThat(row.highestNegotiatedVersion()).isEqualTo("TLSv1.3");
    }

    @Test
    void aModernClientStaysHealthyWithNothingPendingEvenBesideAnOutdatedNeighbour() {
        PostureDriver d = defaults();

        for (int m = 0; m <= 30; m += 2) {
            d.send(validCheck(CLIENT, ADDRESS, minutes(m)));
            if (m == 4) {
                // one TLS 1.0 offer from the address it shares with a neighbour never seen there
                d.send(outdatedFailure(ADDRESS, at(Duration.ofMinutes(m).plusSeconds(30))));
            }
        }

        assertThat(d.postureRows()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.posture()).isEqualTo(Posture.HEALTHY);
            assertThat(r.pendingPosture()).isNull();
            assertThat(r.reasons()).isEmpty();
        });
        assertThat(d.posture(CLIENT).pendingPosture()).isNull();
        assertThat(d.alerts()).isEmpty();
    }
}
