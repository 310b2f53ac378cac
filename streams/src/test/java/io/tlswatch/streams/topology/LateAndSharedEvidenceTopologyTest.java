package io.tlswatch.streams.topology;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.streams.config.PostureJobConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tlswatch.streams.TestEvents.JAVA7_JA4;
import static io.tlswatch.streams.TestEvents.MODERN_JA4;
import static io.tlswatch.streams.TestEvents.TLS12_JA4;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.legacyReport;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.reportChannelSuccess;
import static io.tlswatch.streams.TestEvents.success;
import static io.tlswatch.streams.TestEvents.tls12Check;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evidence that arrives late or from a shared address (docs/posture.md, "Attribution", and docs/streams.md,
 * "Time"): reports windowed by when the collector received them, handshakes held until their address is
 * learned, and a NAT that must not convict a modern client of its neighbour's TLS 1.0.
 */
class LateAndSharedEvidenceTopologyTest {

    private static final String ADDRESS = "198.51.100.7";
    private static final String ELSEWHERE = "203.0.113.9";
    private static final String CLIENT = "client-a";
    private static final String MISMATCH = "tls.version_or_cipher_mismatch";

    private PostureDriver driver;

    /** The job's defaults (10 min hold, 10 min grace, 1 h attribution window), but for the overrides. */
    private PostureDriver driver(String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of("kafka.bootstrap.servers", "unused:9092"));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        driver = new PostureDriver(PostureJobConfig.from(ConfigSource.of(values)));
        return driver;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private static HandshakeEvent cipherFailure(String address, Instant time) {
        return failure(address, time, FailureReason.NO_SHARED_CIPHER, "TLSv1.2", TLS12_JA4);
    }

    @Test
    void reportsReceivedThirtyMinutesAfterTheyOccurredCountAndMakeARow() {
        PostureDriver d = driver();
        // given stream time at 09:30, moved there by another client's check
        d.send(validCheck("client-b", ELSEWHERE, minutes(30)));

        // when a client's spool arrives: three mismatches its SDK saw at 09:00, 09:01 and 09:02, received at 09:30
        for (int m = 0; m < 3; m++) {
            d.send(report(CLIENT, ADDRESS, minutes(m), MISMATCH).receivedAt(minutes(30)).build());
        }

        // then none is late, the client has a row, and the rules see it stuck and, never seen with a valid check,
        // at risk (held for alerts.minHold)
        assertThat(d.counter("tlswatch.streams.events.late")).isZero();
        ClientPosture row = d.posture(CLIENT);
        assertThat(row).isNotNull();
        assertThat(row.reportsByErrorClass()).containsEntry(MISMATCH, 3L);
        assertThat(row.lastSeen()).isEqualTo(minutes(30));
        assertThat(row.firstHandEvidence()).isEqualTo(3);
        assertThat(d.state(CLIENT).candidate()).isEqualTo(Posture.AT_RISK);
        // and once the hold has passed in stream time, it is committed and paged
        d.send(validCheck("client-b", ELSEWHERE, minutes(41)));
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.AT_RISK);
        assertThat(d.posture(CLIENT).reasons()).containsExactly("version_or_cipher_mismatch:3", "never_validated");
        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.clientId()).isEqualTo(CLIENT);
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
        });
    }

    @Test
    void aReportIsLateOnlyWhenItsReceiptIsBehindStreamTimeByMoreThanTheGrace() {
        PostureDriver d = driver();
        d.send(validCheck("client-b", ELSEWHERE, minutes(30)));

        d.send(report(CLIENT, ADDRESS, minutes(0), MISMATCH).receivedAt(minutes(15)).build());

        assertThat(d.counter("tlswatch.streams.events.late")).isEqualTo(1);
        assertThat(d.posture(CLIENT)).isNull();
    }

    @Test
    void handshakesBeforeTheAddressIsKnownAreAttributedOnceACheckFromItArrives() {
        PostureDriver d = driver();
        // given three failures from an address no client was seen at yet
        d.send(cipherFailure(ADDRESS, minutes(1)), cipherFailure(ADDRESS, minutes(2)),
                cipherFailure(ADDRESS, minutes(3)));
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "unknown")).isEqualTo(3);
        assertThat(d.gauge("tlswatch.streams.attributions.pending")).isEqualTo(3);

        // when the client's check teaches the address (with the ClientHello they came with)
        d.send(tls12Check(CLIENT, ADDRESS, minutes(4)));

        // then they are the client's
        ClientPosture row = d.posture(CLIENT);
        assertThat(row.failuresByReason()).containsEntry("no_shared_cipher", 3L);
        assertThat(row.firstHandEvidence()).isEqualTo(1);
        assertThat(row.attributedEvidence()).isEqualTo(3);
        assertThat(d.counter("tlswatch.streams.attributions.replayed")).isEqualTo(3);
        assertThat(d.gauge("tlswatch.streams.attributions.pending")).isZero();
    }

    @Test
    void aTls10ClientsFailureBeforeItsFirstReportConvictsItOnceTheReportArrives() {
        PostureDriver d = driver("alerts.minHold", "0s");
        d.send(outdatedFailure(ADDRESS, minutes(1)));

        // its report comes over plain HTTP: no fingerprint, but its id and signature, from the same address
        d.send(report(CLIENT, ADDRESS, minutes(2), "tls.protocol.error").build());

        // never seen with a valid check: at risk as soon as it is stuck
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.AT_RISK);
        assertThat(d.posture(CLIENT).reasons()).contains("offers_only:TLSv1", "never_validated");
    }

    @Test
    void aHeldHandshakeOlderThanTheAttributionWindowIsLetGoUnclaimed() {
        PostureDriver d = driver();
        d.send(outdatedFailure(ADDRESS, minutes(0)));

        d.send(validCheck("client-b", ELSEWHERE, minutes(70)), validCheck(CLIENT, ADDRESS, minutes(71)));

        assertThat(d.posture(CLIENT).failuresByReason()).isEmpty();
        assertThat(d.counter("tlswatch.streams.attributions.pending.evicted", "reason", "expired")).isEqualTo(1);
        assertThat(d.counter("tlswatch.streams.attributions.replayed")).isZero();
        assertThat(d.gauge("tlswatch.streams.attributions.pending")).isZero();
    }

    @Test
    void theHeldHandshakesAreBoundedPerAddressAndInTotal() {
        PostureDriver d = driver("attribution.pendingPerAddress", "2", "attribution.pendingMax", "3");

        // three at one address: the oldest makes room; two at another: the second finds the task full
        d.send(cipherFailure(ADDRESS, minutes(1)), cipherFailure(ADDRESS, minutes(2)),
                cipherFailure(ADDRESS, minutes(3)), cipherFailure(ELSEWHERE, minutes(4)),
                cipherFailure(ELSEWHERE, minutes(5)));

        assertThat(d.counter("tlswatch.streams.attributions.pending.evicted", "reason", "address_full"))
                .isEqualTo(1);
        assertThat(d.counter("tlswatch.streams.attributions.pending.evicted", "reason", "full")).isEqualTo(1);
        assertThat(d.gauge("tlswatch.streams.attributions.pending")).isEqualTo(3);
        d.send(tls12Check(CLIENT, ADDRESS, minutes(6)));
        assertThat(d.posture(CLIENT).failuresByReason()).containsEntry("no_shared_cipher", 2L);
        assertThat(d.gauge("tlswatch.streams.attributions.pending")).isEqualTo(1);
    }

    @Test
    void aFingerprintTheOnlyClientAtAnAddressWasNeverSeenWithDoesNotConvictIt() {
        PostureDriver d = driver("alerts.minHold", "0s");
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        // a TLS 1.0-only installation nobody has heard from, behind the same address
        d.send(outdatedFailure(ADDRESS, minutes(1)), outdatedFailure(ADDRESS, minutes(2)),
                outdatedFailure(ADDRESS, minutes(3)));

        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);
        assertThat(d.posture(CLIENT).failuresByReason()).isEmpty();
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "ambiguous")).isEqualTo(3);
        assertThat(d.fingerprint(JAVA7_JA4).failures()).isEqualTo(3);
        assertThat(d.fingerprint(JAVA7_JA4).distinctClients()).isZero();
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void behindOneAddressTheModernClientIsNeverJudgedForItsTls10NeighbourWhichIsCaughtByItsOwnReports() {
        PostureDriver d = driver();
        String nat = "198.51.100.50";
        String modern = "modern-a";
        String legacy = "legacy-b";
        List<AlertEvent> alerts = new ArrayList<>();

        for (int m = 0; m < 15; m++) {
            Instant minute = minutes(m);
            if (m % 7 == 0) {
                // the modern client renews its token: a handshake, then the check on that connection
                d.send(success(nat, minute, "TLSv1.3", "TLS_AES_256_GCM_SHA384", MODERN_JA4),
                        validCheck(modern, nat, minute.plusMillis(20)));
            }
            // the TLS 1.0-only client is refused by the license server, then reports it to the collector's TLS
            // listener (which takes TLS 1.0) with its id, signed
            d.send(outdatedFailure(nat, minute.plusSeconds(10)),
                    reportChannelSuccess(nat, minute.plusSeconds(11), "TLSv1", "TLS_RSA_WITH_AES_128_CBC_SHA",
                            JAVA7_JA4),
                    legacyReport(legacy, nat, minute.plusSeconds(12)));

            ClientPosture row = d.posture(modern);
            assertThat(row.posture()).as("minute %d", m).isEqualTo(Posture.HEALTHY);
            assertThat(row.reasons()).isEmpty();
            assertThat(row.failuresByReason()).isEmpty();
            assertThat(d.state(modern).candidate()).as("nothing pending for the modern client").isNull();
            alerts.addAll(d.alerts());
        }

        ClientPosture legacyRow = d.posture(legacy);
        // it never completes a check: at risk as soon as it is stuck
        assertThat(legacyRow.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(legacyRow.reasons()).contains("offers_only:TLSv1", "never_validated");
        assertThat(legacyRow.failuresByReason()).containsEntry("protocol_version", 15L);
        assertThat(legacyRow.firstHandEvidence()).isEqualTo(15);
        assertThat(legacyRow.attributedEvidence()).isEqualTo(30);
        assertThat(d.posture(modern).firstHandEvidence()).isEqualTo(3);
        // its first handshake came before any check had taught the address; a success is not held for later
        assertThat(d.posture(modern).attributedEvidence()).isEqualTo(2);
        // its very first failure came while only the modern client was known there: held, then replayed
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "ambiguous")).isEqualTo(1);
        assertThat(d.counter("tlswatch.streams.attributions.replayed")).isEqualTo(2);
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("tls-outdated:" + legacy);
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
        });
    }
}
